package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.InMemoryRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An operator retries, resumes and restarts pipelines through the step machine, only as they saw them. */
class OperatorActionsTest {
    static final List<String> CALLS = new CopyOnWriteArrayList<>();
    static final AtomicBoolean BROKEN = new AtomicBoolean(true);

    /** Records its call. */
    @Step(name = "Prepare")
    public static class Prepare implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            CALLS.add("Prepare");
        }
    }

    /** Fails for good while BROKEN (one attempt), then finishes. */
    @Step(name = "Charge", maxAttempts = 1)
    public static class Charge implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            CALLS.add("Charge#" + ctx.attempt());
            if (BROKEN.get()) {
                throw new IllegalStateException("payment service down");
            }
        }
    }

    /** Waits an hour before finishing. */
    @Step(name = "Cool")
    public static class Cool implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            CALLS.add("Cool");
            if (ctx.metadata().getBoolean("cooled", false)) {
                ctx.finish();
            } else {
                ctx.metadata().put("cooled", true);
                ctx.continueAfter(Duration.ofHours(1));
            }
        }
    }

    @Pipeline(name = "Order", steps = {Prepare.class, Charge.class, Cool.class})
    public static class Order {
    }

    private final SettableClock clock = new SettableClock();
    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
            .repository(InMemoryRepository.create()).register(Order.class).clock(clock).build());

    @AfterEach
    void close() {
        orchestrator.close();
        CALLS.clear();
        BROKEN.set(true);
    }

    private PipelineView failedOrder() throws InterruptedException {
        UUID id = orchestrator.start(Order.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        PipelineView failed = orchestrator.find(id).orElseThrow();
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        return failed;
    }

    private void pass() {
        clock.advance(Duration.ofMillis(1));
        orchestrator.executePipelines();
    }

    @Test
    void aFailedPipelineRetriedAfterTheFixRunsItsFailedStepAgainAndGoesOn() throws Exception {
        PipelineView failed = failedOrder();
        BROKEN.set(false);

        orchestrator.retry(failed.id(), failed.version());
        pass();

        PipelineView waiting = orchestrator.find(failed.id()).orElseThrow();
        assertThat(waiting.status()).isEqualTo(Status.PENDING);
        assertThat(waiting.step("Charge").orElseThrow().status()).isEqualTo(Status.FINISHED);
        assertThat(waiting.step("Charge").orElseThrow().attempts()).isZero();
        assertThat(waiting.lastError()).isNull();
        assertThat(CALLS).containsExactly("Prepare", "Charge#1", "Charge#1", "Cool");

        orchestrator.resume(waiting.id(), waiting.version());   // skips the hour
        pass();

        assertThat(orchestrator.find(failed.id()).orElseThrow().status()).isEqualTo(Status.FINISHED);
    }

    @Test
    void restartFromReEntersAnEarlierStepOfAnyPipeline() throws Exception {
        PipelineView failed = failedOrder();
        BROKEN.set(false);

        orchestrator.restartFrom(failed.id(), "Prepare", failed.version());
        pass();

        PipelineView view = orchestrator.find(failed.id()).orElseThrow();
        assertThat(view.currentStep()).isEqualTo(2);
        assertThat(CALLS).containsExactly("Prepare", "Charge#1", "Prepare", "Charge#1", "Cool");
    }

    @Test
    void actionsAreRefusedWhenThePipelineChangedOrTheyDoNotApplyAndChangeNothing() throws Exception {
        PipelineView failed = failedOrder();

        assertThatThrownBy(() -> orchestrator.retry(failed.id(), failed.version() - 1))
                .isInstanceOf(PipelineChangedException.class)
                .hasMessageContaining("changed since you saw it (version " + (failed.version() - 1) + ", now "
                        + failed.version() + ")");
        assertThatThrownBy(() -> orchestrator.resume(failed.id(), failed.version()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is failed; only a pipeline that"
                        + " waits can be resumed");
        assertThatThrownBy(() -> orchestrator.restartFrom(failed.id(), "Nope", failed.version()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no step named \"Nope\"")
                .hasMessageContaining("[Prepare, Charge, Cool]");
        assertThatThrownBy(() -> orchestrator.retry(UUID.randomUUID(), 0))
                .isInstanceOf(PipelineNotFoundException.class);
        assertThatThrownBy(() -> orchestrator.restartFrom(failed.id(), null, 0))
                .isInstanceOf(NullPointerException.class);
        assertThat(orchestrator.find(failed.id()).orElseThrow()).isEqualTo(failed);

        BROKEN.set(false);
        orchestrator.retry(failed.id(), failed.version());
        pass();
        PipelineView finishedCharge = orchestrator.find(failed.id()).orElseThrow();
        assertThatThrownBy(() -> orchestrator.retry(failed.id(), finishedCharge.version()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("only a failed pipeline can be"
                        + " retried");
    }
}
