package io.prorch;

import io.prorch.test.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.InMemoryRepository;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A hook that runs past its timeout is abandoned; the attempt fails and other pipelines keep flowing. */
class HookTimeoutTest {
    static volatile CountDownLatch entered = new CountDownLatch(1);
    static volatile CountDownLatch release = new CountDownLatch(1);

    /** Hangs and ignores interrupts until the test releases it; then writes metadata that must be ignored. */
    @Step(name = "Stubborn", timeoutMillis = 200, maxAttempts = 1)
    public static class Stubborn implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            entered.countDown();
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // deliberately ignores the interrupt
                }
            }
            ctx.metadata().put("late", true);
        }
    }

    /** Sleeps, but gives up when interrupted. */
    @Step(name = "Sleepy", timeoutMillis = 200, maxAttempts = 1)
    public static class Sleepy implements OnStart {
        @Override
        public void onStart(StepContext ctx) throws InterruptedException {
            entered.countDown();
            Thread.sleep(60_000);
        }
    }

    @Step(name = "Quick")
    public static class Quick implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.metadata().put("quick", true);
        }
    }

    @Pipeline(name = "StubbornPipeline", steps = Stubborn.class)
    public static class StubbornPipeline {
    }

    @Pipeline(name = "SleepyPipeline", steps = Sleepy.class)
    public static class SleepyPipeline {
    }

    @Pipeline(name = "QuickPipeline", steps = Quick.class)
    public static class QuickPipeline {
    }

    private final SettableClock clock = new SettableClock();

    private Orchestrator orchestrator(int workers) {
        return new Orchestrator(OrchestratorConfig.builder().repository(InMemoryRepository.create())
                .register(StubbornPipeline.class, SleepyPipeline.class, QuickPipeline.class).clock(clock)
                .workerThreads(workers).build());
    }

    @AfterEach
    void releaseHooks() {
        release.countDown();
    }

    @Test
    @Timeout(30)
    void aHookThatIgnoresInterruptsIsAbandonedAndItsLateResultDiscarded() throws Exception {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        try (Orchestrator orchestrator = orchestrator(2)) {
            UUID stuck = orchestrator.start(StubbornPipeline.class);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            clock.advance(Duration.ofSeconds(1));
            Eventually.await(() -> orchestrator.find(stuck).orElseThrow().status() == Status.FAILED);

            PipelineView failed = orchestrator.find(stuck).orElseThrow();
            assertThat(failed.lastError()).contains("TimeoutException").contains("ran longer than PT0.2S");
            assertThat(failed.steps().get(0).lastError()).contains("onStart of step \"Stubborn\"");
            assertThat(failed.claimOwner()).isNull();

            UUID other = orchestrator.start(QuickPipeline.class);
            Eventually.await(() -> orchestrator.find(other).orElseThrow().status() == Status.FINISHED);

            release.countDown();
            assertThat(orchestrator.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(orchestrator.find(stuck).orElseThrow().steps().get(0).metadata()).doesNotContainKey("late");
        }
    }

    @Test
    @Timeout(30)
    void anInterruptedHookFreesItsWorkerForTheNextPipeline() throws Exception {
        entered = new CountDownLatch(1);
        try (Orchestrator orchestrator = orchestrator(1)) {
            UUID sleepy = orchestrator.start(SleepyPipeline.class);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            clock.advance(Duration.ofSeconds(1));
            Eventually.await(() -> orchestrator.find(sleepy).orElseThrow().status() == Status.FAILED);
            UUID next = orchestrator.start(QuickPipeline.class);

            Eventually.await(() -> orchestrator.find(next).orElseThrow().status() == Status.FINISHED);
            assertThat(orchestrator.find(next).orElseThrow().steps().get(0).attempts()).isZero();
        }
    }
}
