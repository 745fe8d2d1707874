package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
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

    private PipelineRecord pipeline(UUID id) {
        return repository.get(Model.PIPELINE, id).orElseThrow();
    }
}
