package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.repository.IRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four orchestrators in one JVM, each with its own pool, share one database: 2,000 pipelines of 3
 * steps, a quarter of them waiting ({@code continueAfter}) in every step, 5% cancelled while they run. No faults:
 * every hook runs exactly once per committed state, no two hooks of a pipeline overlap, and the database sees no
 * deadlock. Extended per database (top-level, so Surefire finds them).
 */
abstract class CompetingOrchestratorsContract {
    private ChaosDatabase db;
    private final List<Orchestrator> orchestrators = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();

    /** @return a fresh chaos database */
    abstract ChaosDatabase newDatabase();

    @BeforeEach
    void setUp() {
        db = newDatabase();
    }

    @AfterEach
    void tearDown() {
        orchestrators.forEach(Orchestrator::close);
        pools.forEach(HikariDataSource::close);
        db.close();
    }

    @Test
    @Timeout(240)
    void fourOrchestratorsRunEveryHookOnceWithConcurrentCancelsAndNoDeadlock() throws Exception {
        long seed = ChaosSeed.pick("competing orchestrators");
        long deadlocksBefore = db.deadlocks();

        Set<UUID> cancelled = run(2_000, 0.25, 0.05, seed, UnaryOperator.identity(), Duration.ofSeconds(180));

        PromiseChecker.Report report = PromiseChecker.check(db.read(), cancelled, List.of(),
                PromiseChecker.Excuse.NONE);
        System.out.println("[chaos] competing orchestrators: " + cancelled.size() + " cancelled, "
                + report.describe());
        assertThat(report.violations()).isEmpty();
        assertThat(report.repeats()).isZero();
        assertThat(cancelled).isNotEmpty();
        assertThat(db.deadlocks()).as("deadlocks the database detected").isEqualTo(deadlocksBefore);
    }

    @Test
    @Timeout(120)
    void theSameChecksCatchAStoreWhoseClaimsDoNotExclude() throws Exception {
        long seed = ChaosSeed.pick("competing orchestrators, broken store");

        run(100, 1.0, 0, seed, BrokenStores::nonExclusiveClaims, Duration.ofSeconds(60));

        PromiseChecker.Report report = PromiseChecker.check(db.read(), Set.of(), List.of(),
                PromiseChecker.Excuse.NONE);
        System.out.println("[chaos] competing orchestrators on a broken store: " + report.describe());
        assertThat(report.violations()).as("a store that hands one pipeline to several claimers").isNotEmpty();
    }

    /** Starts {@code count} pipelines round-robin while cancelling some; waits until all ended. */
    private Set<UUID> run(int count, double waitingShare, double cancelShare, long seed,
                          UnaryOperator<IRepository> store, Duration limit) throws Exception {
        for (int i = 0; i < 4; i++) {
            HikariDataSource pool = ChaosDatabase.pool(db.url(), 4);
            pools.add(pool);
            IRepository repository = store.apply(JdbcRepository.builder().dataSource(pool).migrate(false).build());
            String id = "competitor-" + i;
            Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                    .register(ChaosSteps.Chaos.class).stepFactory(ChaosSteps.factory(db.ledger(id)))
                    .orchestratorId(id).workerThreads(4).batchSize(32).build());
            orchestrator.startPolling(Duration.ofMillis(50));
            orchestrators.add(orchestrator);
        }
        Random random = new Random(seed);
        List<UUID> started = new ArrayList<>();
        Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
        ExecutorService canceller = Executors.newSingleThreadExecutor();
        List<Future<?>> cancels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int wait = random.nextDouble() < waitingShare ? 100 + random.nextInt(200) : 0;
            UUID id = orchestrators.get(i % 4).start(ChaosSteps.Chaos.class, ChaosSteps.input(0, 3, wait));
            started.add(id);
            if (random.nextDouble() < cancelShare) {
                cancels.add(canceller.submit(() -> {
                    if (orchestrators.get(0).cancel(id, "chaos: cancelled while running")) {
                        cancelled.add(id);
                    }
                }));
            }
        }
        for (Future<?> cancel : cancels) {
            cancel.get(30, TimeUnit.SECONDS);
        }
        canceller.shutdown();
        long deadline = System.nanoTime() + limit.toNanos();
        while (db.ended() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        orchestrators.forEach(Orchestrator::close);
        assertThat(db.ended()).as("pipelines ended within " + limit).isEqualTo(count);
        return cancelled;
    }
}
