package io.prorch.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.repository.InMemoryRepository;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What every public entry point does with null, empty, unknown, oversized and malformed input; no broker needed. */
class InputsTest {

    @Test
    void commandsCheckTopicPayloadAndTimeout() {
        assertThat(Command.oneWay("t", Map.of("n", 1)).expectsReply()).isFalse();
        assertThat(Command.request("t", Map.of(), Duration.ofSeconds(1)).payload()).isEmpty();
        assertThatThrownBy(() -> Command.oneWay(null, Map.of())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Command.oneWay("t", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Command.oneWay(" ", Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic");
        assertThatThrownBy(() -> Command.oneWay("t".repeat(250), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 249");
        assertThatThrownBy(() -> Command.oneWay("t", Map.of("when", new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("when");
        assertThatThrownBy(() -> Command.request("t", Map.of(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replyTimeout");
        assertThatThrownBy(() -> Command.request("t", Map.of(), Duration.ofDays(31)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replyTimeout");
        assertThatThrownBy(() -> Command.request("t", Map.of(), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void commandMessagesNameWhatIsMissingOrMalformed() {
        ConsumerRecord<String, String> bare = new ConsumerRecord<>("sec_command", 0, 7, "k", "{}");
        assertThatThrownBy(() -> CommandMessage.of(bare)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(KafkaHeaders.PIPELINE_ID).hasMessageContaining("sec_command/0/7");
        ConsumerRecord<String, String> badId = new ConsumerRecord<>("sec_command", 0, 8, "k", "{}");
        badId.headers().add(KafkaHeaders.PIPELINE_ID, "42".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> CommandMessage.of(badId)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"42\" is not a UUID");
        assertThatThrownBy(() -> CommandMessage.of(null)).isInstanceOf(NullPointerException.class);

        UUID id = UUID.randomUUID();
        ConsumerRecord<String, String> good = new ConsumerRecord<>("sec_command", 0, 9, id.toString(), "[1, 2]");
        good.headers().add(KafkaHeaders.PIPELINE_ID, id.toString().getBytes(StandardCharsets.UTF_8));
        good.headers().add(KafkaHeaders.STEP, "Ask".getBytes(StandardCharsets.UTF_8));
        good.headers().add(KafkaHeaders.IDEMPOTENCY_KEY, "key".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> CommandMessage.of(good)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON object: [1, 2]");
    }

    @Test
    void messagesHaveAStableDefaultKeyAndReadJsonObjectsOnly() {
        KafkaMessage keyed = new KafkaMessage("events", 1, 5, "det-1", "{\"n\": 1}", Map.of());
        KafkaMessage keyless = new KafkaMessage("events", 1, 5, null, null, Map.of());

        assertThat(keyed.defaultIdempotencyKey()).isEqualTo("events:det-1");
        assertThat(keyless.defaultIdempotencyKey()).isEqualTo("events/1/5");
        assertThat(keyed.json()).containsEntry("n", 1L);
        assertThat(keyless.json()).isEmpty();
        assertThatThrownBy(() -> new KafkaMessage("events", 1, 5, "k", "{\"n\": ", Map.of()).json())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> new KafkaMessage(null, 1, 5, "k", "", Map.of()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new PipelineRequest(" ", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageRouter.json(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void buildersNameWhatIsMissing() {
        assertThatThrownBy(() -> KafkaCommands.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> KafkaCommands.builder().sendTimeout(Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sendTimeout");
        try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
                .repository(InMemoryRepository.create()).register(CommandStepKafkaTest.AskThenTell.class).build());
             KafkaCommands oneWayOnly = KafkaCommands.builder().bootstrapServers("127.0.0.1:1").build()) {
            assertThatThrownBy(() -> oneWayOnly.replyListener(orchestrator, "g"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no replyTopic");
            assertThatThrownBy(() -> ReplyListener.builder(orchestrator).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("[bootstrapServers, groupId, topics]");
            assertThatThrownBy(() -> oneWayOnly.stepFactory(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void aStarterClosedBeforeItStartedClosesAtOnceAndCannotStartLater() {
        try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
                .repository(InMemoryRepository.create()).register(CommandStepKafkaTest.AskThenTell.class).build())) {
            TopicStarter starter = TopicStarter.builder(orchestrator).bootstrapServers("127.0.0.1:1").groupId("g")
                    .topics("t").router(MessageRouter.json("AskThenTell")).build();
            long before = System.nanoTime();

            starter.close();
            starter.close();

            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(starter::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already closed");
        }
    }

    @Test
    void aReplySignalIsNamedAfterTheStep() {
        assertThat(CommandStep.replySignal("Ask")).isEqualTo("reply:Ask");
        assertThatThrownBy(() -> CommandStep.replySignal(null)).isInstanceOf(NullPointerException.class);
    }
}
