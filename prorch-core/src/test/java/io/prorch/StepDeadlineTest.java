package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.InMemoryRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code @Step(deadline)} on a running orchestrator, driven by the test clock; and its validation at registration. */
class StepDeadlineTest {
    /** Waits up to 3 days for "approved", but the step itself may take at most 72 hours minus one: PT71H. */
    @Step(name = "AwaitApproval", deadline = "PT71H")
    public static class AwaitApproval implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            ctx.awaitSignal("approved", Duration.ofDays(3));
        }

        @Override
        public void onContinue(StepContext ctx) {
            if (ctx.signal("approved").isPresent()) {
                ctx.finish();
            }
        }
    }

    /** Polls every hour, forever, unless its deadline ends it. */
    @Step(name = "Poller", deadline = "PT3H")
    public static class Poller implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            ctx.continueAfter(Duration.ofHours(1));
        }
    }

    @Pipeline(name = "Approval", steps = AwaitApproval.class)
    public static class Approval {
    }

    @Pipeline(name = "Polling", steps = Poller.class)
    public static class Polling {
    }

    @Step(name = "Malformed", deadline = "72 hours")
    public static class Malformed implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
        }
    }

    @Step(name = "Negative", deadline = "-PT1H")
    public static class Negative implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
        }
    }

    @Pipeline(name = "Bad", steps = {Malformed.class, Negative.class})
    public static class Bad {
    }

    private final SettableClock clock = new SettableClock();
    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
            .repository(InMemoryRepository.create()).register(Approval.class, Polling.class).clock(clock).build());

    @AfterEach
    void close() {
        orchestrator.close();
    }

    @Test
    void aStepWaitingForASignalPastItsDeadlineFailsWithItsPipelineBeforeTheWaitsOwnTimeout() throws Exception {
        UUID late = orchestrator.start(Approval.class, Map.of());
        UUID onTime = orchestrator.start(Approval.class, Map.of());
        assertThat(orchestrator.awaitIdle(Duration.ofSeconds(5))).isTrue();

        clock.advance(Duration.ofHours(70));
        orchestrator.executePipelines();
        assertThat(orchestrator.find(late).orElseThrow().status()).isEqualTo(Status.PENDING);
        orchestrator.signal(onTime, "approved", Map.of());
        orchestrator.executePipelines();
        clock.advance(Duration.ofHours(1));
        orchestrator.executePipelines();

        PipelineView failed = orchestrator.find(late).orElseThrow();
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.lastError()).contains("step \"AwaitApproval\" passed its deadline of PT71H");
        assertThat(failed.dueAt()).isNull();
        assertThat(orchestrator.find(onTime).orElseThrow().status()).isEqualTo(Status.FINISHED);
    }

    @Test
    void aPollingStepIsEndedByItsDeadlineAfterThreeHourlyPolls() throws Exception {
        UUID id = orchestrator.start(Polling.class, Map.of());
        assertThat(orchestrator.awaitIdle(Duration.ofSeconds(5))).isTrue();

        for (int hour = 1; hour <= 3; hour++) {
            assertThat(orchestrator.find(id).orElseThrow().status()).as("hour " + hour).isEqualTo(Status.PENDING);
            clock.advance(Duration.ofHours(1));
            orchestrator.executePipelines();
        }

        PipelineView failed = orchestrator.find(id).orElseThrow();
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.lastError()).contains("step \"Poller\" passed its deadline of PT3H");
    }

    @Test
    void aMalformedOrNonPositiveDeadlineIsRefusedAtRegistrationNamingTheClassAndTheValue() {
        assertThatThrownBy(() -> OrchestratorConfig.builder().repository(InMemoryRepository.create())
                .register(Bad.class).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("StepDeadlineTest$Malformed: @Step(deadline = \"72 hours\") is not an ISO-8601"
                        + " duration; write it like \"PT72H\"")
                .hasMessageContaining("StepDeadlineTest$Negative: @Step(deadline = \"-PT1H\") must be positive");
    }
}
