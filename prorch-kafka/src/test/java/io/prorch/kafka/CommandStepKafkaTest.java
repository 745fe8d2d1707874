package io.prorch.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.InMemoryRepository;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Command steps over a real broker: the command goes out after its commit, the reply comes back as a signal. */
@Timeout(120)
class CommandStepKafkaTest {

    @Step(name = "Ask")
    public static class Ask extends CommandStep {
        @Override
        protected Command command(StepContext ctx) {
            return Command.request(ctx.pipelineMetadata().getString("askTopic"),
                    Map.of("n", ctx.pipelineMetadata().getLong("n")),
                    Duration.ofMillis(ctx.pipelineMetadata().getLong("timeoutMs")));
        }
    }

    @Step(name = "Tell")
    public static class Tell extends CommandStep {
        @Override
        protected Command command(StepContext ctx) {
            return Command.oneWay(ctx.pipelineMetadata().getString("tellTopic"), Map.of("told", true));
        }
    }

    @Pipeline(name = "AskThenTell", steps = {Ask.class, Tell.class})
    public static class AskThenTell {
    }

    private String askTopic;
    private String tellTopic;
    private String replyTopic;
    private String deadTopic;
    private KafkaCommands commands;
    private Orchestrator orchestrator;
    private ReplyListener replies;

    @BeforeEach
    void setUp() {
        List<String> topics = SharedBroker.topics(4);
        askTopic = topics.get(0);
        tellTopic = topics.get(1);
        replyTopic = topics.get(2);
        deadTopic = topics.get(3);
        commands = KafkaCommands.builder().bootstrapServers(SharedBroker.bootstrap()).replyTopic(replyTopic).build();
        orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(InMemoryRepository.create())
                .register(AskThenTell.class).stepFactory(commands.stepFactory()).build());
        orchestrator.startPolling(Duration.ofMillis(50));
        replies = commands.replyListener(orchestrator, "orchestrator-" + replyTopic).deadLetterTopic(deadTopic)
                .build();
        replies.start();
    }

    @AfterEach
    void tearDown() {
        replies.close();
        orchestrator.close();
        commands.close();
    }

    private UUID start(long n, long timeoutMs) {
        return orchestrator.start(AskThenTell.class, Map.of("askTopic", askTopic, "tellTopic", tellTopic, "n", n,
                "timeoutMs", timeoutMs));
    }

    @Test
    void aReplyFinishesTheStepAndTheOneWayCommandFollows() throws Exception {
        try (TestService asked = new TestService(askTopic, c -> Map.of("answer",
                ((Number) c.payload().get("n")).longValue() * 6));
             TestService told = new TestService(tellTopic, null)) {
            UUID id = start(7, 30_000);

            PipelineView done = orchestrator.awaitCompletion(id, Duration.ofSeconds(60));

            assertThat(done.status()).isEqualTo(Status.FINISHED);
            assertThat(done.metadata()).containsEntry("Ask", Map.of("answer", 42L));
            assertThat(asked.received).singleElement().satisfies(c -> {
                assertThat(c.pipelineId()).isEqualTo(id);
                assertThat(c.step()).isEqualTo("Ask");
                assertThat(c.replyTopic()).isEqualTo(replyTopic);
                assertThat(c.payload()).containsEntry("n", 7L);
            });
            assertThat(asked.records.get(0).key()).isEqualTo(id.toString());
            assertThat(SharedBroker.await(10, () -> told.received.size() == 1)).isTrue();
            assertThat(told.received.get(0).expectsReply()).isFalse();
            assertThat(told.received.get(0).idempotencyKey()).isNotEqualTo(asked.received.get(0).idempotencyKey());
            assertThatThrownBy(() -> told.received.get(0).reply(Map.of()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("one-way");
            assertThat(replies.signalled()).isEqualTo(1);
        }
    }

    @Test
    void noReplyWithinTheDeadlineFailsTheStep() throws Exception {
        try (TestService silent = new TestService(askTopic, null)) {
            UUID id = start(1, 1_000);

            PipelineView done = orchestrator.awaitCompletion(id, Duration.ofSeconds(60));

            assertThat(done.status()).isEqualTo(Status.FAILED);
            assertThat(done.lastError()).contains("no reply to the command sent to " + askTopic + " within PT1S");
            assertThat(silent.received).hasSize(1);
        }
    }

    @Test
    void repliesNobodyWaitsForAreDroppedAndUnreadableOnesDeadLettered() throws Exception {
        UUID finished;
        try (TestService asked = new TestService(askTopic, c -> Map.of("ok", true));
             TestService told = new TestService(tellTopic, null)) {
            finished = start(1, 30_000);
            assertThat(orchestrator.awaitCompletion(finished, Duration.ofSeconds(60)).status())
                    .isEqualTo(Status.FINISHED);
        }

        SharedBroker.send(reply(UUID.randomUUID().toString(), "Ask", "{}"));    // unknown pipeline
        SharedBroker.send(reply(finished.toString(), "Ask", "{\"late\": true}")); // ended pipeline
        SharedBroker.send(reply(finished.toString(), "Ask", "not json"));
        SharedBroker.send(reply("not-a-uuid", "Ask", "{}"));
        SharedBroker.send(reply(finished.toString(), null, "{}"));

        assertThat(SharedBroker.await(30, () -> replies.dropped() == 2 && replies.deadLettered() == 3)).isTrue();
        List<ConsumerRecord<String, String>> dead = SharedBroker.read(deadTopic, 3);
        assertThat(dead).extracting(r -> header(r, KafkaHeaders.DEAD_LETTER_REASON)).satisfiesExactlyInAnyOrder(
                reason -> assertThat(reason).contains("not a JSON object"),
                reason -> assertThat(reason).contains("\"not-a-uuid\" is not a UUID"),
                reason -> assertThat(reason).contains("needs the header " + KafkaHeaders.STEP));
        assertThat(dead).allSatisfy(r -> assertThat(header(r, KafkaHeaders.ORIGINAL_TOPIC)).isEqualTo(replyTopic));
    }

    private ProducerRecord<String, String> reply(String pipelineId, String step, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.PIPELINE_ID, pipelineId.getBytes(StandardCharsets.UTF_8));
        if (step != null) {
            headers.add(KafkaHeaders.STEP, step.getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(replyTopic, null, pipelineId, value, headers);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
