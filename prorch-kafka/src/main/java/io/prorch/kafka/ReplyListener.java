package io.prorch.kafka;

import static java.util.Objects.requireNonNull;

import io.prorch.Orchestrator;
import io.prorch.PipelineEndedException;
import io.prorch.PipelineNotFoundException;
import io.prorch.SignalSender;
import io.prorch.SignalTarget;
import io.prorch.kafka.internal.Clients;
import io.prorch.kafka.internal.DeadLetters;
import io.prorch.kafka.internal.Options;
import io.prorch.kafka.internal.PollLoop;
import io.prorch.repository.RecordRejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the services' replies and hands each to the {@link CommandStep} that sent the command, as the signal
 * {@link CommandStep#replySignal(String)} of its pipeline; a reply's offset is committed after the signal is stored.
 * A repeated reply (same {@link KafkaHeaders#IDEMPOTENCY_KEY}) is stored once. A reply for a pipeline that does not
 * exist or already ended is logged and dropped; one that cannot be read (no pipeline or step header, a value that is
 * not a JSON object) goes to the dead-letter topic. A store that fails holds the partition back and is tried again.
 * Obtain one from {@link KafkaCommands#replyListener}.
 */
public final class ReplyListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyListener.class);

    private final Orchestrator orchestrator;
    private final KafkaProducer<String, String> producer;
    private final DeadLetters deadLetters;
    private final PollLoop loop;
    private final Duration closeTimeout;
    private final AtomicLong signalled = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    private ReplyListener(Builder b) {
        this.orchestrator = b.orchestrator;
        this.closeTimeout = b.closeTimeout;
        this.producer = Clients.producer(b.bootstrapServers, KafkaCommands.DEFAULT_SEND_TIMEOUT, Map.of());
        this.deadLetters = new DeadLetters(producer, b.deadLetterTopic, KafkaCommands.DEFAULT_SEND_TIMEOUT);
        this.loop = new PollLoop("prorch-replies-" + b.groupId, Clients.consumer(b.bootstrapServers, b.groupId, 100,
                b.consumerProperties), b.topics, this::handle, b.pollTimeout, b.retryBackoff);
    }

    /**
     * @param orchestrator the orchestrator whose pipelines the replies are for; close this listener before it
     * @return a builder
     * @throws NullPointerException if {@code orchestrator} is null
     */
    public static Builder builder(Orchestrator orchestrator) {
        return new Builder(requireNonNull(orchestrator, "orchestrator"));
    }

    /**
     * Starts consuming on a thread of its own.
     *
     * @throws IllegalStateException if it was started or closed before
     */
    public void start() {
        loop.start();
    }

    /** @return how many replies were stored as signals (repeats included, which are stored once) */
    public long signalled() {
        return signalled.get();
    }

    /** @return how many replies were dropped because their pipeline does not exist or already ended */
    public long dropped() {
        return dropped.get();
    }

    /** @return how many replies went to the dead-letter topic (or were dropped, without one) */
    public long deadLettered() {
        return deadLettered.get();
    }

    private void handle(ConsumerRecord<String, String> record) throws Exception {
        KafkaMessage message = KafkaMessage.of(record);
        SignalSender sender;
        try {
            String step = message.headers().get(KafkaHeaders.STEP);
            if (step == null) {
                throw new IllegalArgumentException("a reply needs the header " + KafkaHeaders.STEP);
            }
            String key = message.headers().getOrDefault(KafkaHeaders.IDEMPOTENCY_KEY, message.coordinates());
            sender = orchestrator.signaller(SignalTarget.id(pipelineId(message))).name(CommandStep.replySignal(step))
                    .payload(message.json()).key("reply:" + key);
        } catch (RuntimeException unreadable) {
            deadLetter(record, unreadable);
            return;
        }
        try {
            sender.send();
            signalled.incrementAndGet();
        } catch (PipelineNotFoundException | PipelineEndedException gone) {
            // nobody waits for it any more: retrying could never succeed
            LOG.info("prorch: dropped the reply {}: {}", message.coordinates(), gone.getMessage());
            dropped.incrementAndGet();
        } catch (RecordRejectedException tooLarge) {
            deadLetter(record, tooLarge);
        }
    }

    private void deadLetter(ConsumerRecord<String, String> record, RuntimeException why) throws Exception {
        deadLetters.send(record, Options.reason(why));
        deadLettered.incrementAndGet();
    }

    private static UUID pipelineId(KafkaMessage message) {
        String id = message.headers().getOrDefault(KafkaHeaders.PIPELINE_ID, message.key());
        if (id == null) {
            throw new IllegalArgumentException("a reply needs the header " + KafkaHeaders.PIPELINE_ID
                    + " or the pipeline id as its key");
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the reply's pipeline id \"" + id + "\" is not a UUID", e);
        }
    }

    /**
     * Stops consuming: the reply being handled finishes, the offsets handled are committed, the clients are closed;
     * bounded by the close timeout.
     */
    @Override
    public void close() {
        loop.close(closeTimeout);
        producer.close(closeTimeout);
    }

    /**
     * Collects the listener's settings. Each setter checks its value at once: null throws
     * {@link NullPointerException}, a blank name or a value out of range {@link IllegalArgumentException}.
     */
    public static final class Builder {
        private final Orchestrator orchestrator;
        private String bootstrapServers;
        private String groupId;
        private List<String> topics;
        private String deadLetterTopic;
        private Duration pollTimeout = Duration.ofMillis(500);
        private Duration retryBackoff = Duration.ofSeconds(1);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private final Map<String, Object> consumerProperties = new HashMap<>();

        private Builder(Orchestrator orchestrator) {
            this.orchestrator = orchestrator;
        }

        /** The brokers, e.g. {@code "127.0.0.1:9092"}. Required. */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = Options.text(servers, "bootstrapServers");
            return this;
        }

        /** The consumer group of this orchestrator's reply listeners. Required. */
        public Builder groupId(String groupId) {
            this.groupId = Options.text(groupId, "groupId");
            return this;
        }

        /** The reply topics read. Required. */
        public Builder topics(String... topics) {
            this.topics = Options.texts(topics, "topics");
            return this;
        }

        /** Where replies that cannot be read go, with the reason in a header. Default: none (logged, dropped). */
        public Builder deadLetterTopic(String topic) {
            this.deadLetterTopic = Options.text(topic, "deadLetterTopic");
            return this;
        }

        /** How long one poll waits for replies, 1 ms to 1 minute. Default: 500 ms. */
        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = Options.between(timeout, Duration.ofMillis(1), Duration.ofMinutes(1), "pollTimeout");
            return this;
        }

        /** How long a partition waits after its store failed, 1 ms to 1 minute. Default: 1 s. */
        public Builder retryBackoff(Duration backoff) {
            this.retryBackoff = Options.between(backoff, Duration.ofMillis(1), Duration.ofMinutes(1), "retryBackoff");
            return this;
        }

        /** How long {@link #close()} waits for the consumer to stop, 1 s to 5 minutes. Default: 10 s. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Options.between(timeout, Duration.ofSeconds(1), Duration.ofMinutes(5),
                    "closeTimeout");
            return this;
        }

        /** Any other consumer setting; it wins over prorch's. */
        public Builder consumerProperty(String key, Object value) {
            consumerProperties.put(Options.text(key, "consumer property name"), requireNonNull(value, key));
            return this;
        }

        /**
         * @return a listener, not yet consuming ({@link ReplyListener#start()})
         * @throws IllegalStateException naming every required setting missing
         */
        public ReplyListener build() {
            List<String> missing = new ArrayList<>();
            if (bootstrapServers == null) {
                missing.add("bootstrapServers");
            }
            if (groupId == null) {
                missing.add("groupId");
            }
            if (topics == null) {
                missing.add("topics");
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("ReplyListener needs " + missing + ": set them on the builder");
            }
            return new ReplyListener(this);
        }
    }
}
