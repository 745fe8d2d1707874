package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Claims: renewed while a long hook runs, released by close() after in-flight hooks finish. */
class ClaimTest {
    static volatile CountDownLatch entered;
    static volatile CountDownLatch release;
    static final AtomicInteger CALLS = new AtomicInteger();

    /** Blocks in onStart until the test releases it. */
    @Step(name = "Slow")
    public static class Slow implements OnStart {
        @Override
        public void onStart(StepContext ctx) throws InterruptedException {
            CALLS.incrementAndGet();
            entered.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never released the hook");
            }
            ctx.metadata().put("slow", "done");
        }
    }

    @Pipeline(name = "SlowPipeline", steps = Slow.class)
    public static class SlowPipeline {
    }

    static volatile SettableClock clock;
    static volatile Duration hookTakes;
    static volatile InMemoryRepository store;
    static volatile Instant claimSeenByNextStep;

    /** Takes {@link #hookTakes} on the test's clock. */
    @Step(name = "Work")
    public static class Work implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            clock.advance(hookTakes);
        }
    }

    /** Records the claim its pipeline's row holds when it starts, i.e. as the previous transition left it. */
    @Step(name = "Look")
    public static class Look implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            claimSeenByNextStep = store.get(Model.PIPELINE, ctx.pipelineId()).orElseThrow().claimExpiresAt();
        }
    }

    @Pipeline(name = "WorkThenLook", steps = {Work.class, Look.class})
    public static class WorkThenLook {
    }

    /** Counts itself. */
    @Step(name = "Quick")
    public static class Quick implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            CALLS.incrementAndGet();
        }
    }

    @Pipeline(name = "QuickPipeline", steps = Quick.class)
    public static class QuickPipeline {
    }

    private final InMemoryRepository repository = InMemoryRepository.create();

    @AfterEach
    void reset() {
        CALLS.set(0);
    }

    private Orchestrator orchestrator(String id) {
        return new Orchestrator(OrchestratorConfig.builder().repository(repository).register(SlowPipeline.class)
                .orchestratorId(id).claimDuration(Duration.ofMillis(300)).build());
    }

    @Test
    @Timeout(30)
    void aLongHookKeepsItsClaimRenewedSoNoOtherOrchestratorTakesItOver() throws Exception {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        try (Orchestrator first = orchestrator("first"); Orchestrator second = orchestrator("second")) {
            UUID id = first.start(SlowPipeline.class);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            Instant initialExpiry = pipeline(id).claimExpiresAt();

            // three claim durations pass while the hook runs: the claim must have been renewed meanwhile
            Eventually.await(() -> pipeline(id).claimExpiresAt().isAfter(initialExpiry.plusMillis(600)));
            PassSummary competing = second.executePipelines();

            assertThat(competing.claimed()).isZero();
            assertThat(pipeline(id).claimOwner()).isEqualTo("first");
            release.countDown();
            assertThat(first.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(pipeline(id).status()).isEqualTo(Status.FINISHED);
            assertThat(CALLS.get()).isEqualTo(1);
        }
    }

    @Test
    @Timeout(30)
    void closeWaitsForTheHookInFlightAndSavesItsResult() throws Exception {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        Orchestrator orchestrator = orchestrator("closing");
        UUID id = orchestrator.start(SlowPipeline.class);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(orchestrator::close);
        closer.start();
        closer.join(200);
        assertThat(closer.isAlive()).as("close() waits for the hook").isTrue();
        release.countDown();
        closer.join(10_000);

        assertThat(closer.isAlive()).isFalse();
        PipelineRecord stored = pipeline(id);
        assertThat(stored.status()).isEqualTo(Status.FINISHED);
        assertThat(stored.claimOwner()).isNull();
        assertThat(CALLS.get()).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void pollingDrivesWaitingPipelinesWithoutExplicitPasses() throws Exception {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(0);
        try (Orchestrator starter = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(DecisionTest.Decide.class).build())) {
            UUID id = starter.start(DecisionTest.Decide.class);
            starter.awaitIdle(Duration.ofSeconds(10));
            // the waiting step finishes on its next onContinue
            PipelineRecord waiting = pipeline(id);
            repository.update(waiting.withMetadata(java.util.Map.of("onContinue", "finish")));

            starter.startPolling(Duration.ofMillis(10));

            Eventually.await(() -> pipeline(id).status() == Status.FINISHED);
        }
    }

    @Test
    @Timeout(30)
    void aTransitionLeavesAClaimWithMoreThanHalfOfItLeftAsItIs() throws Exception {
        // the claim and due columns stay untouched, so a transition writes no index entry for them
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

        Instant kept = claimAfterFirstStep(t0, Duration.ofMinutes(4));

        assertThat(kept).isEqualTo(t0.plus(Duration.ofMinutes(10)));
    }

    @Test
    @Timeout(30)
    void aTransitionExtendsAClaimWithLessThanHalfOfItLeft() throws Exception {
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

        Instant extended = claimAfterFirstStep(t0, Duration.ofMinutes(6));

        assertThat(extended).isEqualTo(t0.plus(Duration.ofMinutes(6)).plus(Duration.ofMinutes(10)));
    }

    private Instant claimAfterFirstStep(Instant t0, Duration firstStepTakes) throws Exception {
        clock = new SettableClock(t0);
        hookTakes = firstStepTakes;
        store = repository;
        claimSeenByNextStep = null;
        try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(WorkThenLook.class).clock(clock).claimDuration(Duration.ofMinutes(10)).build())) {
            UUID id = orchestrator.start(WorkThenLook.class);
            assertThat(orchestrator.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(pipeline(id).status()).isEqualTo(Status.FINISHED);
        }
        return claimSeenByNextStep;
    }

    @Test
    @Timeout(30)
    void aRunWaitingForABusyWorkerKeepsItsClaimRenewed() throws Exception {
        entered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(SlowPipeline.class, QuickPipeline.class).claimDuration(Duration.ofMillis(300))
                .workerThreads(1).build())) {
            orchestrator.start(SlowPipeline.class);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            UUID queued = orchestrator.start(QuickPipeline.class);
            Instant initialExpiry = pipeline(queued).claimExpiresAt();

            // the only worker is busy for three claim durations; the queued run's claim must not run out meanwhile
            try {
                Eventually.await(() -> pipeline(queued).claimExpiresAt().isAfter(initialExpiry.plusMillis(600)));
            } finally {
                release.countDown();
            }

            assertThat(orchestrator.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(pipeline(queued).status()).isEqualTo(Status.FINISHED);
            assertThat(CALLS.get()).as("Slow once, Quick once").isEqualTo(2);
        }
    }

    private PipelineRecord pipeline(UUID id) {
        return repository.get(Model.PIPELINE, id).orElseThrow();
    }
}
