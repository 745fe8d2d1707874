package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.RepositoryException;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Starter.inTransaction}: a pipeline started inside the caller's transaction exists if, and only if, that
 * transaction commits, and prorch never commits, rolls back or closes the caller's connection.
 */
abstract class TransactionalStartContract {
    static final List<UUID> SHIPPED = new CopyOnWriteArrayList<>();

    @Step(name = "Ship")
    public static class Ship implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            SHIPPED.add(ctx.pipelineId());
        }
    }

    @Pipeline(name = "Fulfilment", steps = Ship.class)
    public static class Fulfilment {
    }

    private DataSource dataSource;
    private JdbcRepository repository;
    private Orchestrator orchestrator;

    /** @return a data source on an empty database (or schema) of its own */
    abstract DataSource newDatabase();

    /** @return a JDBC URL a child JVM can open to reach the same database as {@link #newDatabase()} */
    abstract String childUrl();

    @BeforeEach
    void setUp() throws SQLException {
        SHIPPED.clear();
        dataSource = newDatabase();
        repository = JdbcRepository.create(dataSource);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id VARCHAR(64) PRIMARY KEY)");
        }
        orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(Fulfilment.class).build());
    }

    @AfterEach
    void tearDown() {
        orchestrator.close();
    }

    @Test
    void aCommittedTransactionMakesThePipelineRealAndTheNextPassRunsIt() throws Exception {
        UUID id;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            insertOrder(c, "o-1");

            id = orchestrator.starter(Fulfilment.class).inTransaction(repository.using(c))
                    .input(Map.of("order", "o-1")).start();

            assertThat(repository.get(Model.PIPELINE, id)).as("invisible before the commit").isEmpty();
            assertThat(orchestrator.executePipelines().claimed()).isZero();
            assertThat(SHIPPED).as("no hook runs before the commit").isEmpty();
            c.commit();
        }

        assertThat(orchestrator.executePipelines().finished()).isEqualTo(1);
        assertThat(SHIPPED).containsExactly(id);
        assertThat(orchestrator.find(id)).get().satisfies(view -> {
            assertThat(view.status()).isEqualTo(Status.FINISHED);
            assertThat(view.metadata()).containsEntry("order", "o-1");
        });
        assertThat(orders()).containsExactly("o-1");
    }

    @Test
    void aRolledBackTransactionLeavesNoPipeline() throws Exception {
        UUID id;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            insertOrder(c, "o-2");
            id = orchestrator.starter("Fulfilment").inTransaction(repository.using(c)).start();
            c.rollback();
        }

        assertThat(repository.get(Model.PIPELINE, id)).isEmpty();
        assertThat(orchestrator.executePipelines().claimed()).isZero();
        assertThat(SHIPPED).isEmpty();
        assertThat(orders()).isEmpty();
    }

    @Test
    void prorchNeverCommitsRollsBackClosesOrSwitchesTheCallersConnection() throws Exception {
        try (Connection real = dataSource.getConnection()) {
            real.setAutoCommit(false);
            List<String> forbidden = new ArrayList<>();
            Connection guarded = guard(real, forbidden);

            UUID id = orchestrator.starter(Fulfilment.class).inTransaction(repository.using(guarded)).start();

            assertThat(forbidden).as("calls prorch must leave to the caller").isEmpty();
            assertThat(real.isClosed()).isFalse();
            assertThat(real.getAutoCommit()).isFalse();
            real.commit();
            assertThat(repository.get(Model.PIPELINE, id)).isPresent();
        }
    }

    @Test
    void withAutocommitOnTheWriteLandsAtOnceAndIsRunByTheNextPass() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            UUID id = orchestrator.starter(Fulfilment.class).inTransaction(repository.using(c)).start();

            assertThat(orchestrator.executePipelines().finished()).isEqualTo(1);
            assertThat(SHIPPED).containsExactly(id);
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsWritten() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            IRepository view = repository.using(c);

            assertThatThrownBy(() -> orchestrator.starter(Fulfilment.class).inTransaction(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("transaction");
            assertThatThrownBy(() -> orchestrator.starter((Class<?>) null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("pipeline");
            assertThatThrownBy(() -> orchestrator.starter(Fulfilment.class).inTransaction(view).input(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("input");
            assertThatThrownBy(() -> orchestrator.starter("NoSuchPipeline"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NoSuchPipeline");
            assertThatThrownBy(() -> orchestrator.starter(Fulfilment.class).inTransaction(view)
                    .input(Map.of("when", new Object())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("when");
            assertThatThrownBy(() -> repository.using((Connection) null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("connection");
        }
        assertThat(orchestrator.executePipelines().claimed()).isZero();
    }

    @Test
    void aFailedWriteIsReportedAndTheCallerDecides() throws Exception {
        Connection c = dataSource.getConnection();
        IRepository view = repository.using(c);
        c.close();

        assertThatThrownBy(() -> orchestrator.starter(Fulfilment.class).inTransaction(view).start())
                .isInstanceOf(RepositoryException.class).hasMessageContaining("saveAll");
        assertThat(orchestrator.executePipelines().claimed()).isZero();
    }

    @Test
    @Timeout(120)
    void aProcessKilledBetweenTheBusinessInsertAndTheCommitLeavesNeitherBehind() throws Exception {
        orchestrator.close();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), TransactionalStartChild.class.getName(),
                childUrl()).redirectError(File.createTempFile("transactional-start", ".log")).start();
        String out;
        try {
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("child ended").isTrue();
            out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            child.destroyForcibly();
        }

        assertThat(child.exitValue()).as("the child halted itself as a kill -9 would").isEqualTo(137);
        String started = out.lines().filter(l -> l.startsWith("started ")).findFirst().orElseThrow(() ->
                new AssertionError("the child never reached its start; output: " + out));
        UUID id = UUID.fromString(started.substring("started ".length()));
        assertThat(repository.get(Model.PIPELINE, id)).isEmpty();
        assertThat(orders()).isEmpty();
        try (Orchestrator fresh = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(Fulfilment.class).build())) {
            assertThat(fresh.executePipelines().claimed()).isZero();
        }
    }

    static void insertOrder(Connection c, String id) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO orders (id) VALUES ('" + id + "')");
        }
    }

    private List<String> orders() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM orders")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** @return {@code real} with the calls that end or change the caller's transaction recorded and not passed on */
    private static Connection guard(Connection real, List<String> forbidden) {
        Set<String> callersOnly = Set.of("commit", "rollback", "close", "setAutoCommit", "abort", "setSavepoint",
                "releaseSavepoint", "setTransactionIsolation");
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (callersOnly.contains(method.getName())) {
                        forbidden.add(method.getName());
                        return null;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
