package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue #27: the network path to PostgreSQL goes dark mid-work without a FIN or RST, for longer than the statement
 * timeout, then heals, while the connections it froze stay dead. The pool's driver has no {@code socketTimeout}: only
 * JdbcRepository's {@code statementTimeout} bounds the waits. Every pipeline must finish, no committed transition may
 * be lost or applied twice, and the polling orchestrator must resume by itself within seconds of the heal.
 */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
class PostgresSilentCutTest {
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static final Duration CLAIM = Duration.ofSeconds(4);
    private static final Duration FREEZE = Duration.ofSeconds(8);
    private static final int PIPELINES = 120;

    private ChaosDatabase db;
    private HikariDataSource pool;
    private Orchestrator orchestrator;

    @BeforeEach
    void setUp() {
        db = ChaosDatabase.create();
    }

    @AfterEach
    void tearDown() {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (pool != null) {
            pool.close();
        }
        db.close();
    }

    @Test
    @Timeout(180)
    void aSilentCutLongerThanTheBoundLosesNothingAndTheOrchestratorResumesByItself() throws Exception {
        try (LoopbackProxy proxy = new LoopbackProxy(postgresPort())) {
            String proxied = Databases.POSTGRES_URL.replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
            pool = poolWithoutSocketTimeout(db.url(proxied));
            JdbcRepository repository = JdbcRepository.builder().dataSource(pool).schema(db.schema).migrate(false)
                    .statementTimeout(BOUND).build();
            orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                    .register(ChaosSteps.Chaos.class).stepFactory(ChaosSteps.factory(db.ledger("poller")))
                    .orchestratorId("poller").claimDuration(CLAIM).workerThreads(4).batchSize(16).build());
            orchestrator.startPolling(Duration.ofMillis(100));
            enqueue(PIPELINES, new Random(ChaosSeed.pick("silent cut")));
            awaitEnded(20, Duration.ofSeconds(60));
            int running = awaitHooksRunning(3, Duration.ofSeconds(10));

            // when: the path goes dark mid-work, for four times the bound, then heals
            proxy.freeze();
            Thread.sleep(FREEZE.toMillis());
            proxy.heal();
            Instant healedAt = db.now();

            // then
            Duration resumed = awaitFirstWriteAfter(healedAt, Duration.ofSeconds(30));
            awaitEnded(PIPELINES, Duration.ofSeconds(90));
            PromiseChecker.Report report = PromiseChecker.check(db.read(), Set.of(), List.of(),
                    (earlier, repeat) -> earlier.started().isBefore(healedAt));
            System.out.println("[chaos] silent cut of " + FREEZE.toSeconds() + " s (bound " + BOUND.toSeconds()
                    + " s) with " + running + " hooks running: resumed " + resumed.toMillis()
                    + " ms after the heal; " + report.describe());
            assertThat(report.violations()).isEmpty();
            assertThat(resumed).as("resumes within seconds of the heal").isLessThanOrEqualTo(Duration.ofSeconds(10));
            assertThat(db.ended()).isEqualTo(PIPELINES);
        }
    }

    /**
     * A pool without the driver's socketTimeout: statementTimeout is the only bound on prorch's statements. It does
     * set loginTimeout: a connection being opened when the path goes dark waits in the authentication exchange, which
     * neither connectTimeout nor statementTimeout bounds, and HikariCP's single connection adder would wait with it
     * for good, starving the pool (seen in this test without it).
     */
    private static HikariDataSource poolWithoutSocketTimeout(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", "2");
        config.addDataSourceProperty("loginTimeout", "3");
        return new HikariDataSource(config);
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
        long deadline = System.nanoTime() + limit.toNanos();
        while (db.ended() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(db.ended()).as("pipelines ended within " + limit).isGreaterThanOrEqualTo(count);
    }

    private Duration awaitFirstWriteAfter(Instant at, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            List<OffsetDateTime> first = db.query("SELECT min(at) FROM " + db.schema + ".chaos_pipeline_history WHERE at > '"
                    + at + "'", rs -> rs.getObject(1, OffsetDateTime.class));
            if (first.get(0) != null) {
                return Duration.between(at, first.get(0).toInstant());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing was committed within " + limit + " of the heal");
    }

    private static int postgresPort() {
        Matcher m = Pattern.compile("//[^/:]+:(\\d+)/").matcher(Databases.POSTGRES_URL);
        return m.find() ? Integer.parseInt(m.group(1)) : 5432;
    }
}
