package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PassSummary;
import io.prorch.Pipeline;
import io.prorch.PipelineListener;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.Model;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.test.SettableClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The server kills the orchestrator's connections in the middle of a pass: the pass reports it, nothing is lost. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresMidPassKillTest {
    static final AtomicBoolean RELEASED = new AtomicBoolean();
    static final AtomicBoolean KILL_ONCE = new AtomicBoolean();
    static final AtomicInteger TERMINATED = new AtomicInteger();
    static volatile String applicationName;
    private static final String ALIVE_BYPASS = "com.zaxxer.hikari.aliveBypassWindowMs";

    /** Waits until released; the first call after that kills every connection of the orchestrator's pool. */
    @Step(name = "Killer")
    public static class Killer implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) throws Exception {
            if (!RELEASED.get()) {
                return;
            }
            if (KILL_ONCE.compareAndSet(true, false)) {
                try (Connection admin = DriverManager.getConnection(Databases.POSTGRES_URL);
                     Statement s = admin.createStatement()) {
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                            + " FROM pg_stat_activity WHERE application_name = '" + applicationName + "'")) {
                        rs.next();
                        TERMINATED.set(rs.getInt(1));
                    }
                    // termination is asynchronous: wait until the backends are gone, so that the rest of this pass
                    // meets dead connections for certain instead of racing their exit
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (System.nanoTime() < deadline && backends(s) > 0) {
                        Thread.sleep(5);
                    }
                }
            }
            ctx.finish();
        }
    }

    @Step(name = "After")
    public static class After implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.metadata().put("done", true);
        }
    }

    private static int backends(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                + applicationName + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Pipeline(name = "KilledMidPass", steps = {Killer.class, After.class})
    public static class KilledMidPass {
    }

    private final String schema = Databases.createPostgresSchema();

    @AfterAll
    void drop() {
        Databases.dropPostgresSchema(schema);
    }

    @Test
    @Timeout(60)
    void aPassWhoseConnectionsAreKilledReportsItAndTheNextPassesFinishEverything() throws Exception {
        applicationName = "prorch-midpass-" + schema;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(Databases.POSTGRES_URL + "&currentSchema=" + schema + "&ApplicationName=" + applicationName);
        config.setMaximumPoolSize(3);
        SettableClock clock = new SettableClock();
        try (HikariDataSource pool = lendingDeadConnections(config)) {
            JdbcRepository repository = JdbcRepository.create(pool);
            // the test reads the outcome on connections of its own (not killed): the pool may still hold killed ones
            JdbcRepository check = JdbcRepository.builder().dataSource(Databases.postgres(schema)).migrate(false)
                    .build();
            AtomicInteger failedCommits = new AtomicInteger();
            PipelineListener commits = new PipelineListener() {
                @Override
                public void onCommit(int transitions, Duration duration, boolean committed) {
                    if (!committed) {
                        failedCommits.incrementAndGet();
                    }
                }
            };
            try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                    .register(KilledMidPass.class).clock(clock).batchSize(4).listener(commits).build())) {
                for (int i = 0; i < 12; i++) {
                    orchestrator.start(KilledMidPass.class, Map.of("n", i));
                }
                orchestrator.awaitIdle(Duration.ofSeconds(20));

                KILL_ONCE.set(true);
                RELEASED.set(true);
                clock.advance(Duration.ofSeconds(1));
                PassSummary killed = orchestrator.executePipelines();
                int failedInKilledPass = failedCommits.get();
                for (int pass = 0; pass < 5 && finished(check) < 12; pass++) {
                    clock.advance(OrchestratorConfig.DEFAULT_CLAIM_DURATION.plusSeconds(1));
                    orchestrator.executePipelines();
                }

                System.out.println("pass with killed connections: " + killed + " " + killed.problems() + ", "
                        + TERMINATED.get() + " backend(s) terminated, " + failedInKilledPass + " failed commit(s)");
                assertThat(TERMINATED.get()).as("backends the kill terminated").isPositive();
                // The pass meets the dead connections; where is a race. A claim or a read that meets one fails and
                // is reported in the pass's problems. A group write that meets one is redone pipeline by pipeline on
                // the pool's fresh connections, so the pass may have nothing left to report: the failed commit is
                // then what the listeners (and the metrics built on them) saw.
                if (killed.problems().isEmpty()) {
                    assertThat(failedInKilledPass).as("failed commits, in a pass that reported no problem")
                            .isPositive();
                } else {
                    assertThat(killed.problems()).anySatisfy(p -> assertThat(p.message()).contains("failed"));
                }
                assertThat(finished(check)).isEqualTo(12);
                assertThat(check.search(Model.STEP, SearchFilter.all().where(SearchField.NAME, "After")))
                        .hasSize(12).allSatisfy(s -> assertThat(s.metadata()).containsEntry("done", true));
            }
        }
    }

    /**
     * @return a pool that lends its connections untested. HikariCP tests a connection idle for over 500 ms before
     *     lending it and replaces it if dead; on a loaded machine the pass can take that long after the kill, and
     *     would then never meet a killed connection. The pool reads the window from a system property when it is made.
     */
    private static HikariDataSource lendingDeadConnections(HikariConfig config) {
        System.setProperty(ALIVE_BYPASS, "600000");
        try {
            return new HikariDataSource(config);
        } finally {
            System.clearProperty(ALIVE_BYPASS);
        }
    }

    private static int finished(JdbcRepository repository) {
        return repository.search(Model.PIPELINE, SearchFilter.all().where(SearchField.STATUS, Status.FINISHED)).size();
    }
}
