package io.prorch;

import io.prorch.test.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.InMemoryRepository;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A hook that throws is retried with exponential backoff, then fails its step and pipeline. */
class RetryTest {
    static final List<Integer> ATTEMPTS = new CopyOnWriteArrayList<>();

    /** Fails its first two attempts, after writing metadata that must not be saved. */
    @Step(name = "Flaky")
    public static class Flaky implements OnStart {
        @Override
        public void onStart(StepContext ctx) throws IOException {
            ATTEMPTS.add(ctx.attempt());
            ctx.metadata().put("junk", ctx.attempt());
            ctx.pipelineMetadata().put("junk", ctx.attempt());
            if (ctx.attempt() < 3) {
                throw new IOException("disk busy (attempt " + ctx.attempt() + ")");
            }
            ctx.metadata().put("ok", true);
        }
    }

    /** Always fails, with a per-step policy of two attempts 100 ms apart. */
    @Step(name = "Broken", maxAttempts = 2, initialBackoffMillis = 100)
    public static class Broken implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            ATTEMPTS.add(ctx.attempt());
            throw new IllegalStateException("never works");
        }
    }

    /** Throws an Error, not an Exception. */
    @Step(name = "Explodes", maxAttempts = 1)
    public static class Explodes implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            throw new AssertionError("boom");
        }
    }

    @Pipeline(name = "FlakyPipeline", steps = Flaky.class)
    public static class FlakyPipeline {
    }

    @Pipeline(name = "BrokenPipeline", steps = Broken.class)
    public static class BrokenPipeline {
    }

    @Pipeline(name = "ExplodingPipeline", steps = Explodes.class)
    public static class ExplodingPipeline {
    }

    private final SettableClock clock = new SettableClock();
    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
            .repository(InMemoryRepository.create())
            .register(FlakyPipeline.class, BrokenPipeline.class, ExplodingPipeline.class)
            .retryPolicy(RetryPolicy.exponential(5, Duration.ofSeconds(1), Duration.ofSeconds(10)))
            .clock(clock).build());

    @AfterEach
    void close() {
        orchestrator.close();
        ATTEMPTS.clear();
    }

    @Test
    void retriesWithExponentialBackoffAndDiscardsWhatAFailedAttemptWrote() throws Exception {
        UUID id = orchestrator.start(FlakyPipeline.class, Map.of());
        orchestrator.awaitIdle(Duration.ofSeconds(10));

        PipelineView afterFirst = orchestrator.find(id).orElseThrow();
        assertThat(afterFirst.status()).isEqualTo(Status.PENDING);
        assertThat(afterFirst.dueAt()).isEqualTo(clock.instant().plusSeconds(1));
        assertThat(afterFirst.steps().get(0).attempts()).isEqualTo(1);
        assertThat(afterFirst.steps().get(0).lastError()).contains("java.io.IOException: disk busy (attempt 1)")
                .contains("at io.prorch.RetryTest$Flaky.onStart");
        assertThat(afterFirst.steps().get(0).metadata()).doesNotContainKey("junk");
        assertThat(afterFirst.metadata()).doesNotContainKey("junk");

        clock.advance(Duration.ofMillis(999));
        assertThat(orchestrator.executePipelines().claimed()).isZero();
        clock.advance(Duration.ofMillis(1));
        PassSummary second = orchestrator.executePipelines();
        assertThat(second.waiting()).isEqualTo(1);
        assertThat(second.problems()).singleElement().extracting(PassSummary.Problem::message).asString()
                .contains("attempt 2 of 5").contains("disk busy");
        assertThat(orchestrator.find(id).orElseThrow().dueAt()).isEqualTo(clock.instant().plusSeconds(2));

        clock.advance(Duration.ofSeconds(2));
        PassSummary third = orchestrator.executePipelines();

        assertThat(third.finished()).isEqualTo(1);
        assertThat(ATTEMPTS).containsExactly(1, 2, 3);
        PipelineView done = orchestrator.find(id).orElseThrow();
        assertThat(done.status()).isEqualTo(Status.FINISHED);
        assertThat(done.steps().get(0).metadata()).containsEntry("ok", true).containsEntry("junk", 3L);
        assertThat(done.lastError()).isNull();
    }

    @Test
    void failsStepAndPipelineAfterThePerStepAttemptLimit() throws Exception {
        UUID id = orchestrator.start(BrokenPipeline.class, Map.of());
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        clock.advance(Duration.ofMillis(100));

        PassSummary pass = orchestrator.executePipelines();

        assertThat(ATTEMPTS).containsExactly(1, 2);
        assertThat(pass.failed()).isEqualTo(1);
        assertThat(pass.problems()).singleElement().extracting(PassSummary.Problem::pipelineId).isEqualTo(id);
        PipelineView view = orchestrator.find(id).orElseThrow();
        assertThat(view.status()).isEqualTo(Status.FAILED);
        assertThat(view.lastError()).contains("Broken").contains("failed after 2 attempts").contains("never works");
        assertThat(view.steps().get(0).status()).isEqualTo(Status.FAILED);
        assertThat(view.steps().get(0).attempts()).isEqualTo(2);
        assertThat(view.dueAt()).isNull();
    }

    @Test
    void anErrorThrownByAHookIsRecordedLikeAnException() throws Exception {
        UUID id = orchestrator.start(ExplodingPipeline.class, Map.of());
        orchestrator.awaitIdle(Duration.ofSeconds(10));

        PipelineView view = orchestrator.find(id).orElseThrow();
        assertThat(view.status()).isEqualTo(Status.FAILED);
        assertThat(view.steps().get(0).lastError()).startsWith("java.lang.AssertionError: boom");
    }

    @Test
    void backoffGrowsExponentiallyUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5));

        assertThat(List.of(1, 2, 3, 4, 9).stream().map(policy::backoffAfter))
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                        Duration.ofSeconds(5), Duration.ofSeconds(5));
    }
}
