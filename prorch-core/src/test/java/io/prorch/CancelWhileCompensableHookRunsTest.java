package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.InMemoryRepository;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cancel from outside while a hook runs, in a pipeline with a step to undo: the cancel leaves the pipeline pending
 * (compensating) and unclaimed, so this orchestrator's own poller claims it again while the old run still waits for
 * its hook. That run must not take the new claim over and write its stale result over the cancel.
 */
class CancelWhileCompensableHookRunsTest {
    static final CountDownLatch ENTERED = new CountDownLatch(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    @Step(name = "CwUndoable")
    public static class Undoable implements OnStart, OnCompensate {
        @Override
        public void onStart(StepContext ctx) {
        }

        @Override
        public void onCompensate(StepContext ctx) {
            ctx.pipelineMetadata().put("undone", true);
        }
    }

    /** Blocks in onStart until released, then finishes. */
    @Step(name = "CwSlow")
    public static class Slow implements OnStart {
        @Override
        public void onStart(StepContext ctx) throws InterruptedException {
            ENTERED.countDown();
            RELEASE.await(20, TimeUnit.SECONDS);
        }
    }

    @Pipeline(name = "CwPipeline", steps = {Undoable.class, Slow.class})
    public static class CwPipeline {
    }

    @Test
    @Timeout(60)
    void theOldRunsResultDoesNotOverwriteTheCancelAndTheCompensationRuns() throws Exception {
        try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
                .repository(InMemoryRepository.create()).register(CwPipeline.class).build())) {
            orchestrator.startPolling(Duration.ofMillis(10));
            UUID id = orchestrator.start(CwPipeline.class);
            assertThat(ENTERED.await(20, TimeUnit.SECONDS)).isTrue();

            assertThat(orchestrator.cancel(id, "stop")).isTrue();
            PipelineView compensated = orchestrator.awaitCompletion(id, Duration.ofSeconds(20));
            RELEASE.countDown();
            orchestrator.awaitIdle(Duration.ofSeconds(20));
            Thread.sleep(200);   // the old run's result, if it were written, would land by now
            PipelineView after = orchestrator.find(id).orElseThrow();

            assertThat(compensated.status()).isEqualTo(Status.COMPENSATED);
            assertThat(after.status()).isEqualTo(Status.COMPENSATED);
            assertThat(after.version()).isEqualTo(compensated.version());
            assertThat(after.metadata()).containsEntry("undone", true);
            assertThat(after.step("CwSlow").orElseThrow().status()).isEqualTo(Status.CANCELLED);
            assertThat(after.step("CwUndoable").orElseThrow().status()).isEqualTo(Status.COMPENSATED);
        }
    }
}
