package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PassSummary;
import io.prorch.repository.IRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Promises 1, 3 and 6 under database faults: the database taken away for 30 seconds (connections refused and cut),
 * connections that fail before and after their statements and commits, and a repository that throws on one call in
 * ten. Nothing is lost or applied twice, hooks repeat only after a failed save, every error shows up in a pass
 * summary, nothing dies, and processing resumes by itself once the database is back.
 */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
class PostgresOutageTest {
    private static final Duration CLAIM = Duration.ofSeconds(2);
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("prorch.chaos.outageSeconds", 30));

    private ChaosDatabase db;
    private final List<Orchestrator> orchestrators = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<PassSummary> summaries = new CopyOnWriteArrayList<>();
    private final AtomicInteger escaped = new AtomicInteger();
    private final AtomicBoolean driving = new AtomicBoolean(true);
    private final List<Thread> drivers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        db = ChaosDatabase.create();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        driving.set(false);
        for (Thread driver : drivers) {
            driver.join(10_000);
        }
        orchestrators.forEach(Orchestrator::close);
        pools.forEach(HikariDataSource::close);
        db.close();
    }

    @Test
    @Timeout(180)
    void aThirtySecondOutageLosesNothingAndProcessingResumesWithinTenSecondsOfTheDatabasesReturn()
            throws Exception {
        Outage outage = outage("outage", OUTAGE, Function.identity(), true);

        System.out.println("[chaos] outage of " + OUTAGE.toSeconds() + " s with " + outage.hooksRunningAtOutage()
                + " hooks running: resumed " + outage.resumed().toMillis() + " ms after the database came back; "
                + outage.report().describe());
        assertThat(outage.report().violations()).isEmpty();
        assertThat(outage.resumed()).as("promise 6: resumes within 10 s").isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(outage.summariesDuring()).as("errors reported in pass summaries")
                .anySatisfy(s -> assertThat(s.problems()).isNotEmpty());
        assertThat(escaped.get()).as("exceptions escaping executePipelines").isZero();
        assertThat(db.query("SELECT count(*) FROM " + db.schema + ".ledger WHERE orchestrator = 'poller'"
                + " AND started_at > '" + outage.upAt() + "'", rs -> rs.getInt(1)).get(0))
                .as("the polling loop survived the outage").isPositive();
    }

    @Test
    @Timeout(120)
    void theOutageChecksCatchAStoreThatAcknowledgesFailedWrites() throws Exception {
        AtomicInteger lies = new AtomicInteger();
        Outage outage = outage("outage, broken store", Duration.ofSeconds(5),
                store -> FaultyStores.acknowledgingFailedWrites(store, lies), false);

        System.out.println("[chaos] outage on a store acknowledging failed writes, " + outage.hooksRunningAtOutage()
                + " hooks running, " + lies.get() + " failed writes acknowledged: " + outage.report().describe());
        assertThat(lies.get()).as("writes that failed in the outage and were acknowledged").isPositive();
        assertThat(outage.report().violations()).isNotEmpty();
    }

    /** What an outage run left: the check, how long until the first commit after the return, the summaries. */
    private record Outage(PromiseChecker.Report report, Duration resumed, Instant upAt,
                          List<PassSummary> summariesDuring, int hooksRunningAtOutage) {
    }

    /**
     * A polling orchestrator and a driven one work through 300 pipelines behind a proxy that is taken down for
     * {@code length}; then everything is checked, a hook repeat being excused only if the first run started before
     * the database came back (its save could have failed). A correct store must let every pipeline finish.
     */
    private Outage outage(String name, Duration length, Function<IRepository, IRepository> store, boolean mustFinish)
            throws Exception {
        try (LoopbackProxy proxy = new LoopbackProxy(postgresPort())) {
            String proxied = Databases.POSTGRES_URL.replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
            Orchestrator polling = orchestrator("poller", pool(db.url(proxied)), store);
            polling.startPolling(Duration.ofMillis(100));
            drive(orchestrator("driven", pool(db.url(proxied)), store));
            enqueue(300, new Random(ChaosSeed.pick(name)));
            awaitEnded(30, Duration.ofSeconds(30));
            // take the database away while both orchestrators are busy, so that writes of runs in flight fail
            int inFlight = awaitHooksRunning(6, Duration.ofSeconds(10));

            proxy.down();
            int summariesBefore = summaries.size();
            Thread.sleep(length.toMillis());
            proxy.up();
            Instant upAt = db.now();

            Duration resumed = awaitFirstWriteAfter(upAt, Duration.ofSeconds(30));
            if (mustFinish) {
                awaitEnded(300, Duration.ofSeconds(90));
            } else {
                // a broken store need not let every pipeline end: give it a while, then judge what it did
                waitForEnded(300, Duration.ofSeconds(20));
            }
            PromiseChecker.Report report = PromiseChecker.check(db.read(), Set.of(), List.of(),
                    (earlier, repeat) -> earlier.started().isBefore(upAt));
            return new Outage(report, resumed, upAt, List.copyOf(summaries.subList(summariesBefore,
                    summaries.size())), inFlight);
        }
    }

    @Test
    @Timeout(180)
    void connectionsFailingBeforeAndAfterStatementsAndCommitsLoseNothing() throws Exception {
        runTwoFaultyOrchestrators("flaky connections", (id, random, injected) -> orchestrator(id,
                FaultyStores.flakyConnections(pool(db.url()), random, 0.05, injected), Function.identity()));
    }

    @Test
    @Timeout(180)
    void aRepositoryThrowingOnOneCallInTenLosesNothing() throws Exception {
        runTwoFaultyOrchestrators("throwing repository", (id, random, injected) -> orchestrator(id, pool(db.url()),
                store -> FaultyStores.throwing(store, random, 0.10, injected)));
    }

    @Test
    @Timeout(120)
    void theSameChecksCatchAStoreThatAcknowledgesFailedWrites() throws Exception {
        long seed = ChaosSeed.pick("throwing repository, broken store");
        AtomicInteger injected = new AtomicInteger();
        AtomicInteger lies = new AtomicInteger();
        Random random = new Random(seed);
        drive(orchestrator("lying", pool(db.url()), store -> FaultyStores.acknowledgingFailedWrites(
                FaultyStores.throwing(store, random, 0.10, injected), lies)));
        drive(orchestrator("honest", pool(db.url()), Function.identity()));

        enqueue(60, new Random(seed + 1));
        awaitEnded(60, Duration.ofSeconds(60));

        PromiseChecker.Report report = PromiseChecker.check(db.read(), Set.of(), List.of(), (a, b) -> true);
        System.out.println("[chaos] store acknowledging failed writes: " + injected.get() + " faults injected, "
                + lies.get() + " failed writes acknowledged, " + report.describe());
        assertThat(lies.get()).as("failed writes acknowledged").isPositive();
        assertThat(report.violations()).isNotEmpty();
    }

    /** Makes a faulty orchestrator from its id, the seeded source of faults, and the counter of injected faults. */
    @FunctionalInterface
    private interface FaultyOrchestrator {
        Orchestrator create(String id, Random random, AtomicInteger injected);
    }

    /** Two faulty orchestrators drive 200 pipelines to the end; then the promises are checked. */
    private void runTwoFaultyOrchestrators(String what, FaultyOrchestrator faulty) throws InterruptedException {
        long seed = ChaosSeed.pick(what);
        AtomicInteger injected = new AtomicInteger();
        Random random = new Random(seed);
        drive(faulty.create(what.replace(' ', '-') + "-1", random, injected));
        drive(faulty.create(what.replace(' ', '-') + "-2", random, injected));

        enqueue(200, new Random(seed + 1));
        awaitEnded(200, Duration.ofSeconds(120));

        assertFaultsHandled(what, injected);
    }

    private void assertFaultsHandled(String what, AtomicInteger injected) {
        // any repeat may have a failed save behind it; the bound is one extra run per injected fault
        PromiseChecker.Report report = PromiseChecker.check(db.read(), Set.of(), List.of(), (a, b) -> true);
        System.out.println("[chaos] " + what + ": " + injected.get() + " faults injected, " + report.describe());
        assertThat(injected.get()).as("faults injected").isPositive();
        assertThat(report.violations()).isEmpty();
        assertThat(report.repeats()).isLessThanOrEqualTo(injected.get());
        assertThat(summaries).as("errors reported in pass summaries").anySatisfy(s ->
                assertThat(s.problems()).isNotEmpty());
        assertThat(escaped.get()).as("exceptions escaping executePipelines").isZero();
    }

    private HikariDataSource pool(String url) {
        HikariDataSource pool = ChaosDatabase.pool(url, 4);
        pools.add(pool);
        return pool;
    }

    private Orchestrator orchestrator(String id, DataSource dataSource, Function<IRepository, IRepository> store) {
        IRepository repository = store.apply(JdbcRepository.builder().dataSource(dataSource).schema(db.schema)
                .migrate(false).build());
        Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(ChaosSteps.Chaos.class).stepFactory(ChaosSteps.factory(db.ledger(id))).orchestratorId(id)
                .claimDuration(CLAIM).workerThreads(4).batchSize(16).build());
        orchestrators.add(orchestrator);
        return orchestrator;
    }

    /** Runs passes in a loop on a thread of its own, keeping every summary. */
    private void drive(Orchestrator orchestrator) {
        Thread driver = new Thread(() -> {
            while (driving.get()) {
                try {
                    summaries.add(orchestrator.executePipelines());
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (driving.get()) {
                        escaped.incrementAndGet();
                    }
                }
            }
        }, "driver-" + orchestrator.id());
        driver.start();
        drivers.add(driver);
    }

    private void enqueue(int count, Random random) {
        try (Orchestrator starter = new Orchestrator(OrchestratorConfig.builder().repository(db.repository)
                .register(ChaosSteps.Chaos.class).stepFactory(ChaosSteps.factory(db.ledger("starter"))).build())) {
            for (int i = 0; i < count; i++) {
                starter.starter(ChaosSteps.Chaos.class).inTransaction(db.repository)
                        .input(ChaosSteps.input(5, 40, random.nextInt(4) == 0 ? 200 : 0)).start();
            }
        }
    }

    /** @return how many hooks were running when at least {@code count} were, or when {@code limit} passed */
    private int awaitHooksRunning(int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            int running = db.query("SELECT count(*) FROM " + db.schema + ".ledger WHERE ended_at IS NULL",
                    rs -> rs.getInt(1)).get(0);
            if (running >= count || System.nanoTime() > deadline) {
                return running;
            }
            Thread.sleep(2);
        }
    }

    private void awaitEnded(int count, Duration limit) throws InterruptedException {
        waitForEnded(count, limit);
        assertThat(db.ended()).as("pipelines ended within " + limit).isGreaterThanOrEqualTo(count);
    }

    private void waitForEnded(int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (db.ended() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private Duration awaitFirstWriteAfter(Instant upAt, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            List<Instant> first = db.query("SELECT min(at) FROM " + db.schema + ".chaos_pipeline_history WHERE at > '"
                    + upAt + "'", rs -> rs.getObject(1, java.time.OffsetDateTime.class) == null ? null
                    : rs.getObject(1, java.time.OffsetDateTime.class).toInstant());
            if (first.get(0) != null) {
                return Duration.between(upAt, first.get(0));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing was committed within " + limit + " of the database's return");
    }

    private static int postgresPort() {
        Matcher m = Pattern.compile("//[^/:]+:(\\d+)/").matcher(Databases.POSTGRES_URL);
        return m.find() ? Integer.parseInt(m.group(1)) : 5432;
    }
}
