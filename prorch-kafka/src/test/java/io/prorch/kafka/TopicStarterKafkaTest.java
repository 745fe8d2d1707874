package io.prorch.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.StoredRecord;
import io.prorch.test.ForwardingRepository;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pipelines started from a topic of a real broker: once per message, offsets after the start, dead letters. */
@Timeout(120)
class TopicStarterKafkaTest {

    @Step(name = "Noted")
    public static class Noted implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.finish();
        }
    }

    @Pipeline(name = "Detection", steps = Noted.class)
    public static class Detection {
    }

    /** A store whose saves fail while {@code down} is set: a database outage. */
    static final class Outage extends ForwardingRepository {
        final AtomicBoolean down = new AtomicBoolean();
        final InMemoryRepository memory;

        Outage(InMemoryRepository memory) {
            super(memory);
            this.memory = memory;
        }

        @Override
        public List<StoredRecord> saveAll(List<? extends StoredRecord> records) {
            if (down.get()) {
                throw new RepositoryException("the database is down (on purpose)");
            }
            return super.saveAll(records);
        }
    }

    private final Outage store = new Outage(InMemoryRepository.create());
    private String topic;
    private String deadTopic;
    private Orchestrator orchestrator;

    @BeforeEach
    void setUp() {
        List<String> topics = SharedBroker.topics(2);
        topic = topics.get(0);
        deadTopic = topics.get(1);
        orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(store).register(Detection.class)
                .build());
    }

    @AfterEach
    void tearDown() {
        orchestrator.close();
    }

    private TopicStarter starter(MessageRouter router) {
        TopicStarter starter = TopicStarter.builder(orchestrator).bootstrapServers(SharedBroker.bootstrap())
                .groupId("starter-" + topic).topics(topic).router(router).deadLetterTopic(deadTopic)
                .retryBackoff(Duration.ofMillis(100)).build();
        starter.start();
        return starter;
    }

    private void produce(String... keysAndValues) throws Exception {
        try (KafkaProducer<String, String> producer = SharedBroker.producer()) {
            for (int i = 0; i < keysAndValues.length; i += 2) {
                producer.send(new ProducerRecord<>(topic, keysAndValues[i], keysAndValues[i + 1])).get();
            }
        }
    }

    private int pipelines() {
        return store.memory.size(Model.PIPELINE);
    }

    @Test
    void startsOnePipelinePerKeyAndOnePerKeylessMessage() throws Exception {
        try (TopicStarter starter = starter(MessageRouter.json("Detection"))) {
            produce("d1", "{\"host\": \"a\"}", "d2", "{\"host\": \"b\"}", "d1", "{\"host\": \"a, again\"}",
                    null, "{\"host\": \"c\"}", null, "{\"host\": \"c\"}");

            assertThat(SharedBroker.await(30, () -> starter.started() == 5)).isTrue();
            assertThat(pipelines()).isEqualTo(4);   // d1 twice is one pipeline; keyless messages are two
            assertThat(orchestrator.starter("Detection").idempotencyKey(topic + ":d1").start()).isNotNull();
            assertThat(pipelines()).isEqualTo(4);
        }
    }

    @Test
    void deadLettersWhatCannotBeReadAndKeepsTheRestFlowing() throws Exception {
        MessageRouter router = message -> {
            Map<String, Object> json = message.json();
            return json.containsKey("skip") ? Optional.empty()
                    : Optional.of(new PipelineRequest((String) json.getOrDefault("pipeline", "Detection"), json));
        };
        try (TopicStarter starter = starter(router)) {
            produce("a", "{}", "b", "garbage", "c", "{\"pipeline\": \"Nope\"}", "d", "{\"skip\": true}", "e", "{}");

            assertThat(SharedBroker.await(30, () -> starter.started() == 2 && starter.deadLettered() == 2
                    && starter.skipped() == 1)).isTrue();
            List<ConsumerRecord<String, String>> dead = SharedBroker.read(deadTopic, 2);
            assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("b", "c");
            assertThat(dead).extracting(r -> new String(r.headers().lastHeader(KafkaHeaders.DEAD_LETTER_REASON)
                    .value(), StandardCharsets.UTF_8)).satisfiesExactlyInAnyOrder(
                            reason -> assertThat(reason).contains("not a JSON object"),
                            reason -> assertThat(reason).contains("No pipeline named \"Nope\""));
            assertThat(pipelines()).isEqualTo(2);
        }
    }

    @Test
    void commitsAnOffsetOnlyOnceItsPipelineIsSaved() throws Exception {
        store.down.set(true);
        try (TopicStarter starter = starter(MessageRouter.json("Detection"))) {
            produce("x", "{}", "y", "{}");
            // the store refuses: nothing is started, and the messages are tried again
            Thread.sleep(1_500);
            assertThat(starter.started()).isZero();

            store.down.set(false);
            assertThat(SharedBroker.await(30, () -> starter.started() == 2)).isTrue();
        }
        // a new consumer of the same group starts after the committed offsets: nothing twice, nothing lost
        try (TopicStarter again = starter(MessageRouter.json("Detection"))) {
            produce("z", "{}");
            assertThat(SharedBroker.await(30, () -> again.started() == 1)).isTrue();
            Thread.sleep(500);
            assertThat(again.started()).isEqualTo(1);
            assertThat(pipelines()).isEqualTo(3);
        }
    }

    @Test
    void theBuilderNamesWhatIsMissingOrWrong() {
        assertThatThrownBy(() -> TopicStarter.builder(orchestrator).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[bootstrapServers, groupId, topics, router]");
        assertThatThrownBy(() -> TopicStarter.builder(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TopicStarter.builder(orchestrator).topics()).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> TopicStarter.builder(orchestrator).groupId(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupId");
        assertThatThrownBy(() -> TopicStarter.builder(orchestrator).maxPollRecords(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPollRecords");
        assertThatThrownBy(() -> TopicStarter.builder(orchestrator).pollTimeout(Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pollTimeout");
        assertThatThrownBy(() -> TopicStarter.builder(orchestrator).topics("x".repeat(300)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 249");
    }
}
