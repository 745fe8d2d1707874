package io.prorch.kafka;

import static java.util.Objects.requireNonNull;

import io.prorch.Orchestrator;
import io.prorch.Starter;
import io.prorch.kafka.internal.Clients;
import io.prorch.kafka.internal.DeadLetters;
import io.prorch.kafka.internal.Options;
import io.prorch.kafka.internal.PollLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Starts one pipeline per message of some topics. Each start is idempotent (by default on the message's key, else
 * its {@code topic/partition/offset}), and a message's offset is committed only after its pipeline is saved: a crash
 * or a restart never loses a message and never starts it twice. A message the router rejects goes to the
 * dead-letter topic with the reason in a header; a store that fails holds its partition back and is tried again.
 *
 * <pre>{@code
 * TopicStarter starter = TopicStarter.builder(orchestrator)
 *         .bootstrapServers("127.0.0.1:9092")
 *         .groupId("security-orchestrator")
 *         .topics("detections")
 *         .router(MessageRouter.json("SecurityWorkflow"))
 *         .deadLetterTopic("detections.dead")
 *         .build();
 * starter.start();
 * // ...
 * starter.close();   // before the orchestrator
 * }</pre>
 */
public final class TopicStarter implements AutoCloseable {
    private final Orchestrator orchestrator;
    private final MessageRouter router;
    private final Function<KafkaMessage, String> keys;
    private final KafkaProducer<String, String> producer;
    private final DeadLetters deadLetters;
    private final PollLoop loop;
    private final Duration closeTimeout;
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    private TopicStarter(Builder b) {
        this.orchestrator = b.orchestrator;
        this.router = b.router;
        this.keys = b.keys;
        this.closeTimeout = b.closeTimeout;
        this.producer = Clients.producer(b.bootstrapServers, b.sendTimeout, b.producerProperties);
        this.deadLetters = new DeadLetters(producer, b.deadLetterTopic, b.sendTimeout);
        this.loop = new PollLoop("prorch-topic-starter-" + b.groupId, Clients.consumer(b.bootstrapServers, b.groupId,
                b.maxPollRecords, b.consumerProperties), b.topics, this::handle, b.pollTimeout, b.retryBackoff);
    }

    /**
     * @param orchestrator the orchestrator that starts the pipelines; close this starter before it
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

    /** @return how many messages started a pipeline (or found the one they started before) */
    public long started() {
        return started.get();
    }

    /** @return how many messages the router skipped */
    public long skipped() {
        return skipped.get();
    }

    /** @return how many messages went to the dead-letter topic (or were dropped, without one) */
    public long deadLettered() {
        return deadLettered.get();
    }

    private void handle(ConsumerRecord<String, String> record) throws Exception {
        KafkaMessage message = KafkaMessage.of(record);
        Starter starter;
        try {
            Optional<PipelineRequest> request = router.route(message);
            if (request.isEmpty()) {
                skipped.incrementAndGet();
                return;
            }
            starter = orchestrator.starter(request.get().pipelineName()).input(request.get().input())
                    .idempotencyKey(keys.apply(message));
        } catch (Exception unreadable) {
            // the message itself is at fault (the router, an unknown pipeline, input JSON cannot hold, a bad key)
            deadLetters.send(record, Options.reason(unreadable));
            deadLettered.incrementAndGet();
            return;
        }
        starter.start();   // a store failure propagates: the record is tried again, its offset stays uncommitted
        started.incrementAndGet();
    }

    /**
     * Stops consuming: the message being handled finishes, the offsets of the messages handled are committed, the
     * clients are closed; bounded by the close timeout. Pipelines already started run on.
     */
    @Override
    public void close() {
        loop.close(closeTimeout);
        producer.close(closeTimeout);
    }

    /**
     * Collects the starter's settings. Each setter checks its value at once: null throws {@link NullPointerException},
     * a blank name or a value out of range {@link IllegalArgumentException} naming the option and the value.
     */
    public static final class Builder {
        private final Orchestrator orchestrator;
        private String bootstrapServers;
        private String groupId;
        private List<String> topics;
        private MessageRouter router;
        private String deadLetterTopic;
        private Function<KafkaMessage, String> keys = KafkaMessage::defaultIdempotencyKey;
        private int maxPollRecords = 100;
        private Duration pollTimeout = Duration.ofMillis(500);
        private Duration retryBackoff = Duration.ofSeconds(1);
        private Duration sendTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private final Map<String, Object> consumerProperties = new HashMap<>();
        private final Map<String, Object> producerProperties = new HashMap<>();

        private Builder(Orchestrator orchestrator) {
            this.orchestrator = orchestrator;
        }

        /** The brokers, e.g. {@code "127.0.0.1:9092"}. Required. */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = Options.text(servers, "bootstrapServers");
            return this;
        }

        /** The consumer group; one per orchestrator role (segmented orchestrators use their own). Required. */
        public Builder groupId(String groupId) {
            this.groupId = Options.text(groupId, "groupId");
            return this;
        }

        /** The topics read; each message starts at most one pipeline. Required. */
        public Builder topics(String... topics) {
            this.topics = Options.texts(topics, "topics");
            return this;
        }

        /** What each message starts; see {@link MessageRouter#json(String)}. Required. */
        public Builder router(MessageRouter router) {
            this.router = requireNonNull(router, "router");
            return this;
        }

        /** Where messages the router rejects go, with the reason in a header. Default: none (logged and dropped). */
        public Builder deadLetterTopic(String topic) {
            this.deadLetterTopic = Options.text(topic, "deadLetterTopic");
            return this;
        }

        /**
         * The idempotency key of the pipeline a message starts: messages with the same key start one pipeline.
         * Default: {@link KafkaMessage#defaultIdempotencyKey()}. A key that is blank or too long for
         * {@link Starter#idempotencyKey} sends the message to the dead-letter topic.
         */
        public Builder idempotencyKey(Function<KafkaMessage, String> keys) {
            this.keys = requireNonNull(keys, "idempotencyKey");
            return this;
        }

        /** The most messages one poll returns, in [1, 10000]. Default: 100. */
        public Builder maxPollRecords(int records) {
            this.maxPollRecords = Options.within(records, 1, 10_000, "maxPollRecords");
            return this;
        }

        /** How long one poll waits for messages, 1 ms to 1 minute. Default: 500 ms. */
        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = Options.between(timeout, Duration.ofMillis(1), Duration.ofMinutes(1), "pollTimeout");
            return this;
        }

        /** How long a partition waits after its store failed, before it is tried again, 1 ms to 1 minute. */
        public Builder retryBackoff(Duration backoff) {
            this.retryBackoff = Options.between(backoff, Duration.ofMillis(1), Duration.ofMinutes(1), "retryBackoff");
            return this;
        }

        /** How long a dead letter may take to be acknowledged, 1 s to 5 minutes. Default: 10 s. */
        public Builder sendTimeout(Duration timeout) {
            this.sendTimeout = Options.between(timeout, Duration.ofSeconds(1), Duration.ofMinutes(5), "sendTimeout");
            return this;
        }

        /** How long {@link #close()} waits for the consumer to stop, 1 s to 5 minutes. Default: 10 s. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Options.between(timeout, Duration.ofSeconds(1), Duration.ofMinutes(5),
                    "closeTimeout");
            return this;
        }

        /** Any other consumer setting (security, client id, ...); it wins over prorch's. */
        public Builder consumerProperty(String key, Object value) {
            consumerProperties.put(Options.text(key, "consumer property name"), requireNonNull(value, key));
            return this;
        }

        /** Any other setting of the dead-letter producer; it wins over prorch's. */
        public Builder producerProperty(String key, Object value) {
            producerProperties.put(Options.text(key, "producer property name"), requireNonNull(value, key));
            return this;
        }

        /**
         * @return a starter, not yet consuming ({@link TopicStarter#start()})
         * @throws IllegalStateException naming every required setting missing
         */
        public TopicStarter build() {
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
            if (router == null) {
                missing.add("router");
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("TopicStarter needs " + missing + ": set them on the builder");
            }
            return new TopicStarter(this);
        }
    }
}
