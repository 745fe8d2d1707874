package io.prorch.kafka;

import static java.util.Objects.requireNonNull;

import io.prorch.Orchestrator;
import io.prorch.StepContext;
import io.prorch.StepFactory;
import io.prorch.kafka.internal.Clients;
import io.prorch.kafka.internal.Json;
import io.prorch.kafka.internal.Options;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The producer behind every {@link CommandStep} of an orchestrator, and where their replies come back. Create it
 * before the orchestrator, hand its {@link #stepFactory()} to the orchestrator's configuration, and start a
 * {@link ReplyListener} on the reply topic once the orchestrator exists.
 *
 * <pre>{@code
 * KafkaCommands commands = KafkaCommands.builder()
 *         .bootstrapServers("127.0.0.1:9092")
 *         .replyTopic("orchestrator.replies")
 *         .build();
 * Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
 *         .repository(repository).register(SecurityWorkflow.class)
 *         .stepFactory(commands.stepFactory())
 *         .build());
 * ReplyListener replies = commands.replyListener(orchestrator, "security-orchestrator").build();
 * replies.start();
 * }</pre>
 */
public final class KafkaCommands implements AutoCloseable {
    /** How long a send waits for the broker's acknowledgement by default: 10 seconds. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final String replyTopic;
    private final Duration sendTimeout;
    private final KafkaProducer<String, String> producer;

    private KafkaCommands(Builder b) {
        this.bootstrapServers = b.bootstrapServers;
        this.replyTopic = b.replyTopic;
        this.sendTimeout = b.sendTimeout;
        this.producer = Clients.producer(b.bootstrapServers, b.sendTimeout, b.producerProperties);
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the topic replies are asked to go to, or null if no command of these expects a reply */
    public String replyTopic() {
        return replyTopic;
    }

    /**
     * @return a step factory that creates steps through their public no-arg constructor and hands every
     *     {@link CommandStep} this producer
     */
    public StepFactory stepFactory() {
        return stepFactory(type -> type.getConstructor().newInstance());
    }

    /**
     * @param delegate what creates the step instances (a container, for example)
     * @return a step factory that hands every {@link CommandStep} {@code delegate} returns this producer
     * @throws NullPointerException if {@code delegate} is null
     */
    public StepFactory stepFactory(StepFactory delegate) {
        requireNonNull(delegate, "delegate");
        return type -> {
            Object step = delegate.create(type);
            if (step instanceof CommandStep command) {
                command.bind(this);
            }
            return step;
        };
    }

    /**
     * @param orchestrator the orchestrator whose pipelines the replies are for
     * @param groupId the reply consumer's group
     * @return a builder of the listener of this reply topic, with the brokers and the topic set
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if no reply topic was set
     */
    public ReplyListener.Builder replyListener(Orchestrator orchestrator, String groupId) {
        if (replyTopic == null) {
            throw new IllegalStateException("KafkaCommands has no replyTopic: set one on its builder");
        }
        return ReplyListener.builder(orchestrator).bootstrapServers(bootstrapServers).groupId(groupId)
                .topics(replyTopic);
    }

    /** Sends one command and waits for its acknowledgement, bounded by the send timeout. */
    void send(StepContext ctx, String topic, Map<String, Object> payload, boolean expectsReply) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.PIPELINE_ID, bytes(ctx.pipelineId().toString()));
        headers.add(KafkaHeaders.STEP, bytes(ctx.stepName()));
        headers.add(KafkaHeaders.IDEMPOTENCY_KEY, bytes(ctx.idempotencyKey()));
        if (expectsReply) {
            if (replyTopic == null) {
                throw new IllegalStateException("step \"" + ctx.stepName() + "\" expects a reply, but KafkaCommands"
                        + " has no replyTopic: set one on its builder");
            }
            headers.add(KafkaHeaders.REPLY_TOPIC, bytes(replyTopic));
        }
        try {
            producer.send(new ProducerRecord<>(topic, null, ctx.pipelineId().toString(), Json.write(payload),
                    headers)).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("the command of step \"" + ctx.stepName() + "\" to topic " + topic
                    + " was not acknowledged within " + sendTimeout + "; it is sent again on the next attempt");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Closes the producer, waiting up to the send timeout for commands in flight. */
    @Override
    public void close() {
        producer.close(sendTimeout);
    }

    /**
     * Collects the settings. Each setter checks its value at once: null throws {@link NullPointerException}, a blank
     * name or a value out of range {@link IllegalArgumentException} naming the option and the value.
     */
    public static final class Builder {
        private String bootstrapServers;
        private String replyTopic;
        private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
        private final Map<String, Object> producerProperties = new HashMap<>();

        private Builder() {
        }

        /** The brokers, e.g. {@code "127.0.0.1:9092"}. Required. */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = Options.text(servers, "bootstrapServers");
            return this;
        }

        /** The topic services reply to; required if any command expects a reply. Default: none. */
        public Builder replyTopic(String topic) {
            this.replyTopic = Options.text(topic, "replyTopic");
            return this;
        }

        /**
         * How long a send waits for the broker's acknowledgement before the attempt fails (and is retried), 1 s to 5
         * minutes; keep it below the steps' hook timeout. Default: {@link #DEFAULT_SEND_TIMEOUT}.
         */
        public Builder sendTimeout(Duration timeout) {
            this.sendTimeout = Options.between(timeout, Duration.ofSeconds(1), Duration.ofMinutes(5), "sendTimeout");
            return this;
        }

        /** Any other producer setting (security, compression, ...); it wins over prorch's. */
        public Builder producerProperty(String key, Object value) {
            producerProperties.put(Options.text(key, "producer property name"), requireNonNull(value, key));
            return this;
        }

        /**
         * @return the commands' producer, connected lazily
         * @throws IllegalStateException if no {@link #bootstrapServers} was given
         */
        public KafkaCommands build() {
            if (bootstrapServers == null) {
                throw new IllegalStateException("KafkaCommands needs bootstrapServers: set it on the builder");
            }
            return new KafkaCommands(this);
        }
    }
}
