package io.prorch;

import io.prorch.test.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.InMemoryRepository;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What each decision a hook can take does to the step and the pipeline. */
class DecisionTest {
    static final HookLog LOG = new HookLog();

    /** Takes the decision named by the pipeline metadata key "decide" in onStart or onContinue. */
    @Step(name = "Decider")
    public static class Decider implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            LOG.record(ctx, "onStart");
            decide(ctx, ctx.pipelineMetadata().getString("onStart", "none"));
        }

        @Override
        public void onContinue(StepContext ctx) {
            LOG.record(ctx, "onContinue");
            decide(ctx, ctx.pipelineMetadata().getString("onContinue", "none"));
        }

        private static void decide(StepContext ctx, String what) {
            ctx.metadata().put("seen", what);
            switch (what) {
                case "finish" -> ctx.finish();
                case "fail" -> ctx.fail("disk full");
                case "cancel" -> ctx.cancel("operator said so");
                case "wait" -> ctx.continueAfter(Duration.ofMinutes(10));
                case "wait0" -> ctx.continueAfter(Duration.ZERO);
                case "twice" -> {
                    ctx.finish();
                    ctx.fail("second decision");
                }
                default -> { }
            }
        }
    }

    @Step(name = "OneShot")
    public static class OneShot implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            LOG.record(ctx, "onStart");
            ctx.metadata().put("done", true);
        }
    }

    @Step(name = "ContinueOnly")
    public static class ContinueOnly implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            LOG.record(ctx, "onContinue");
            ctx.finish();
        }
    }

    @Pipeline(name = "Decide", steps = {Decider.class, OneShot.class})
    public static class Decide {
    }

    @Pipeline(name = "Simple", steps = {OneShot.class, ContinueOnly.class, OneShot.class})
    public static class Simple {
    }

    private final SettableClock clock = new SettableClock();
    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
            .repository(InMemoryRepository.create()).register(Decide.class, Simple.class).clock(clock)
            .retryPolicy(RetryPolicy.none()).build());

    @AfterEach
    void close() {
        orchestrator.close();
        LOG.drain();
    }

    private PipelineView run(Class<?> pipeline, Map<String, ?> input) throws InterruptedException {
        UUID id = orchestrator.start(pipeline, input);
        assertThat(orchestrator.awaitIdle(Duration.ofSeconds(10))).isTrue();
        return orchestrator.find(id).orElseThrow();
    }

    @Nested
    class FromOnStart {
        @Test
        void finishSkipsOnContinueAndStartsTheNextStep() throws Exception {
            PipelineView view = run(Decide.class, Map.of("onStart", "finish"));

            assertThat(LOG.drain()).containsExactly("Decider.onStart", "OneShot.onStart");
            assertThat(view.status()).isEqualTo(Status.FINISHED);
            assertThat(view.steps().get(0).metadata()).containsEntry("seen", "finish");
        }

        @Test
        void failEndsStepAndPipelineWithTheReason() throws Exception {
            PipelineView view = run(Decide.class, Map.of("onStart", "fail"));

            assertThat(LOG.drain()).containsExactly("Decider.onStart");
            assertThat(view.status()).isEqualTo(Status.FAILED);
            assertThat(view.lastError()).contains("Decider").contains("disk full");
            assertThat(view.steps()).extracting(StepView::status).containsExactly(Status.FAILED, Status.CREATED);
            assertThat(view.steps().get(0).lastError()).isEqualTo("disk full");
        }

        @Test
        void cancelEndsStepAndPipelineAsCancelled() throws Exception {
            PipelineView view = run(Decide.class, Map.of("onStart", "cancel"));

            assertThat(view.status()).isEqualTo(Status.CANCELLED);
            assertThat(view.lastError()).contains("operator said so");
            assertThat(view.steps().get(0).status()).isEqualTo(Status.CANCELLED);
        }

        @Test
        void continueAfterMakesTheStepPendingAndWaitsForTheDelay() throws Exception {
            PipelineView view = run(Decide.class, Map.of("onStart", "wait", "onContinue", "finish"));

            assertThat(LOG.drain()).containsExactly("Decider.onStart");
            assertThat(view.steps().get(0).status()).isEqualTo(Status.PENDING);
            assertThat(view.dueAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));

            clock.advance(Duration.ofMinutes(9));
            assertThat(orchestrator.executePipelines().claimed()).isZero();
            clock.advance(Duration.ofMinutes(1));
            PassSummary pass = orchestrator.executePipelines();

            assertThat(LOG.drain()).containsExactly("Decider.onContinue", "OneShot.onStart");
            assertThat(pass.finished()).isEqualTo(1);
        }

        @Test
        void secondDecisionThrowsAndTheAttemptFailsWithoutSavingTheFirst() throws Exception {
            PipelineView view = run(Decide.class, Map.of("onStart", "twice"));

            assertThat(view.status()).isEqualTo(Status.FAILED);
            assertThat(view.steps().get(0).lastError())
                    .contains("IllegalStateException").contains("already decided finish()");
        }
    }

    @Nested
    class FromOnContinue {
        @Test
        void noDecisionLeavesTheStepPendingForTheNextPass() throws Exception {
            PipelineView view = run(Decide.class, Map.of());

            assertThat(LOG.drain()).containsExactly("Decider.onStart", "Decider.onContinue");
            assertThat(view.status()).isEqualTo(Status.PENDING);
            assertThat(view.steps().get(0).status()).isEqualTo(Status.PENDING);

            clock.advance(Duration.ofSeconds(1));
            PassSummary pass = orchestrator.executePipelines();
            assertThat(LOG.drain()).containsExactly("Decider.onContinue");
            assertThat(pass.waiting()).isEqualTo(1);
            assertThat(pass.advanced()).isZero();
        }

        @Test
        @org.junit.jupiter.api.Timeout(10)
        void aZeroDelayIsContinuedOncePerPassEvenWhenTheClockStandsStill() throws Exception {
            run(Decide.class, Map.of("onContinue", "wait0"));
            LOG.drain();

            PassSummary pass = orchestrator.executePipelines();

            assertThat(pass.claimed()).isEqualTo(1);
            assertThat(LOG.drain()).containsExactly("Decider.onContinue");
        }

        @Test
        void failEndsThePipeline() throws Exception {
            PipelineView view = run(Decide.class, Map.of("onContinue", "fail"));

            assertThat(view.status()).isEqualTo(Status.FAILED);
            assertThat(view.steps().get(0).metadata()).containsEntry("seen", "fail");
        }
    }

    @Nested
    class StepsWithOneHook {
        @Test
        void aStepWithOnlyOnStartFinishesWhenItReturnsAndOneWithOnlyOnContinueIsCalledAtOnce() throws Exception {
            PipelineView view = run(Simple.class, Map.of());

            assertThat(LOG.drain()).containsExactly("OneShot.onStart", "ContinueOnly.onContinue", "OneShot.onStart");
            assertThat(view.status()).isEqualTo(Status.FINISHED);
            assertThat(view.steps().get(0).metadata()).containsEntry("done", true);
        }
    }

    @Nested
    class CancelFromOutside {
        @Test
        void cancelsAWaitingPipelineAndItsCurrentStep() throws Exception {
            PipelineView waiting = run(Decide.class, Map.of());

            assertThat(orchestrator.cancel(waiting.id(), "no longer needed")).isTrue();

            PipelineView view = orchestrator.find(waiting.id()).orElseThrow();
            assertThat(view.status()).isEqualTo(Status.CANCELLED);
            assertThat(view.lastError()).isEqualTo("Cancelled: no longer needed");
            assertThat(view.dueAt()).isNull();
            assertThat(view.steps()).extracting(StepView::status).containsExactly(Status.CANCELLED, Status.CREATED);
            clock.advance(Duration.ofSeconds(1));
            assertThat(orchestrator.executePipelines().claimed()).isZero();
        }

        @Test
        void returnsFalseForAPipelineThatAlreadyEnded() throws Exception {
            PipelineView finished = run(Decide.class, Map.of("onStart", "finish"));

            assertThat(orchestrator.cancel(finished.id(), "too late")).isFalse();
            assertThat(orchestrator.find(finished.id()).orElseThrow().status()).isEqualTo(Status.FINISHED);
        }

        @Test
        void throwsForAnUnknownIdAndForNulls() {
            UUID unknown = UUID.randomUUID();

            assertThatThrownBy(() -> orchestrator.cancel(unknown, "x"))
                    .isInstanceOf(PipelineNotFoundException.class).hasMessageContaining(unknown.toString());
            assertThatThrownBy(() -> orchestrator.cancel(null, "x"))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("pipelineId");
            assertThatThrownBy(() -> orchestrator.cancel(unknown, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("reason");
        }
    }
}
