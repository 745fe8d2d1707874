package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PassSummary;
import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.IRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Promise 8: on a JDBC store, claims and due times follow the database's clock, so two orchestrators whose JVM clocks
 * are two hours apart never run the same pipeline at once. The same scenario with the JVM clocks trusted must show
 * the double run, or the test proves nothing.
 */
abstract class ClockSkewContract {
    static final List<String> CALLS = new CopyOnWriteArrayList<>();
    static volatile CountDownLatch release = new CountDownLatch(0);

    @Step(name = "Hold")
    public static class Hold implements OnStart {
        @Override
        public void onStart(StepContext ctx) throws InterruptedException {
            CALLS.add(ctx.pipelineId().toString());
            release.await(20, TimeUnit.SECONDS);
        }
    }

    @Pipeline(name = "Held", steps = Hold.class)
    public static class Held {
    }

    private IRepository repository;
    private Orchestrator behind;
    private Orchestrator ahead;

    /** @return a repository on an empty database of its own */
    abstract IRepository newRepository();

    @BeforeEach
    void setUp() {
        CALLS.clear();
        release = new CountDownLatch(1);
        repository = newRepository();
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        if (behind != null) {
            behind.close();
        }
        if (ahead != null) {
            ahead.close();
        }
    }

    @Test
    void theDatabasesClockReadsCloseToThisMachinesClock() {
        Instant db = repository.currentTime().orElseThrow();

        assertThat(Duration.between(Instant.now(), db).abs()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    @Timeout(60)
    void orchestratorsWithClocksHoursApartNeverClaimEachOthersLivePipelines() throws Exception {
        UUID id = startHeldPipelineAndTryToStealIt(true);

        assertThat(CALLS).as("onStart of " + id + " ran only on the orchestrator holding the claim")
                .containsExactly(id.toString());
    }

    @Test
    @Timeout(60)
    void trustingTheSkewedJvmClocksInsteadShowsTheDoubleRun() throws Exception {
        UUID id = startHeldPipelineAndTryToStealIt(false);

        assertThat(CALLS).as("the orchestrator an hour ahead took over a live claim")
                .containsExactly(id.toString(), id.toString());
    }

    /** One orchestrator an hour behind starts a pipeline whose hook holds; one an hour ahead runs a pass. */
    private UUID startHeldPipelineAndTryToStealIt(boolean storeClock) throws Exception {
        behind = orchestrator("behind", Duration.ofHours(-1), storeClock);
        ahead = orchestrator("ahead", Duration.ofHours(1), storeClock);
        UUID id = behind.start(Held.class, Map.of());
        awaitCalls(1);

        // the pass waits for the hooks it starts, and a stolen hook holds until released: run it aside
        CompletableFuture<PassSummary> pass = CompletableFuture.supplyAsync(ahead::executePipelines);
        if (storeClock) {
            assertThat(pass.get(20, TimeUnit.SECONDS).claimed()).isZero();
        } else {
            awaitCalls(2);
        }
        release.countDown();
        pass.get(20, TimeUnit.SECONDS);
        assertThat(behind.awaitIdle(Duration.ofSeconds(20))).isTrue();
        return id;
    }

    private Orchestrator orchestrator(String name, Duration skew, boolean storeClock) {
        return new Orchestrator(OrchestratorConfig.builder().repository(repository).register(Held.class)
                .orchestratorId(name).clock(Clock.offset(Clock.systemUTC(), skew)).storeClock(storeClock)
                .claimDuration(Duration.ofSeconds(30)).build());
    }

    private static void awaitCalls(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (CALLS.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(CALLS).hasSizeGreaterThanOrEqualTo(count);
    }
}
