package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.SignalTarget;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Starter.inTransaction} and {@code SignalSender.inTransaction} through a JDBI {@link Handle}: a pipeline (or
 * signal) started in the caller's {@code jdbi.inTransaction(..)} exists if, and only if, that transaction commits,
 * and prorch never ends the transaction or closes the handle.
 */
abstract class JdbiTransactionalStartContract {
    static final List<UUID> SHIPPED = new CopyOnWriteArrayList<>();

    @Step(name = "JdbiShip")
    public static class Ship implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            SHIPPED.add(ctx.pipelineId());
        }
    }

    @Pipeline(name = "JdbiFulfilment", steps = Ship.class)
    public static class Fulfilment {
    }

    @Step(name = "JdbiWait")
    public static class Wait implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            // never decides: the pipeline stays pending, open to signals
        }
    }

    @Pipeline(name = "JdbiWaiting", steps = Wait.class)
    public static class Waiting {
    }

    private Jdbi jdbi;
    private JdbcRepository repository;
    private Orchestrator orchestrator;

    /** @return a data source on an empty database (or schema) of its own */
    abstract DataSource newDatabase();

    @BeforeEach
    void setUp() {
        SHIPPED.clear();
        jdbi = Jdbi.create(newDatabase());
        repository = JdbcRepository.create(jdbi);
        jdbi.useHandle(h -> h.execute("CREATE TABLE orders (id VARCHAR(64) PRIMARY KEY)"));
        orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(Fulfilment.class, Waiting.class).build());
    }

    @AfterEach
    void tearDown() {
        orchestrator.close();
    }

    @Test
    void aCommittedTransactionMakesThePipelineRealAndTheNextPassRunsIt() {
        UUID id = jdbi.inTransaction(handle -> {
            handle.execute("INSERT INTO orders (id) VALUES (?)", "o-1");
            UUID started = orchestrator.starter(Fulfilment.class).inTransaction(repository.using(handle))
                    .input(Map.of("order", "o-1")).start();
            assertThat(repository.get(Model.PIPELINE, started)).as("invisible before the commit").isEmpty();
            assertThat(orchestrator.executePipelines().claimed()).isZero();
            assertThat(repository.using(handle).search(Model.PIPELINE, SearchFilter.all()))
                    .as("a search through the handle sees its own transaction").hasSize(1);
            assertThat(handle.isInTransaction()).isTrue();
            return started;
        });

        assertThat(orchestrator.executePipelines().finished()).isEqualTo(1);
        assertThat(SHIPPED).containsExactly(id);
        assertThat(orchestrator.find(id)).get().satisfies(view -> {
            assertThat(view.status()).isEqualTo(Status.FINISHED);
            assertThat(view.metadata()).containsEntry("order", "o-1");
        });
        assertThat(orders()).containsExactly("o-1");
    }

    @Test
    void aRolledBackTransactionLeavesNoPipeline() {
        UUID[] id = new UUID[1];
        assertThatThrownBy(() -> jdbi.useTransaction(handle -> {
            handle.execute("INSERT INTO orders (id) VALUES (?)", "o-2");
            id[0] = orchestrator.starter("JdbiFulfilment").inTransaction(repository.using(handle)).start();
            throw new IllegalStateException("the business step failed");
        })).hasMessageContaining("the business step failed");

        assertThat(id[0]).isNotNull();
        assertThat(repository.get(Model.PIPELINE, id[0])).isEmpty();
        assertThat(orchestrator.executePipelines().claimed()).isZero();
        assertThat(SHIPPED).isEmpty();
        assertThat(orders()).isEmpty();
    }

    @Test
    void prorchNeverEndsTheTransactionNorClosesTheHandle() throws Exception {
        jdbi.useTransaction(handle -> {
            UUID id = orchestrator.starter(Fulfilment.class).inTransaction(repository.using(handle)).start();
            assertThat(handle.isClosed()).isFalse();
            assertThat(handle.isInTransaction()).isTrue();
            assertThat(handle.getConnection().getAutoCommit()).isFalse();
            assertThat(repository.get(Model.PIPELINE, id)).as("not committed by prorch").isEmpty();
        });
    }

    @Test
    void aSignalSentInACommittedTransactionIsStoredAndOneRolledBackIsNot() {
        UUID id = orchestrator.start(Waiting.class);
        jdbi.useTransaction(handle -> orchestrator.signaller(SignalTarget.id(id)).name("paid")
                .inTransaction(repository.using(handle)).send());
        assertThatThrownBy(() -> jdbi.useTransaction(handle -> {
            orchestrator.signaller(SignalTarget.id(id)).name("refunded").inTransaction(repository.using(handle)).send();
            throw new IllegalStateException("changed my mind");
        })).hasMessageContaining("changed my mind");

        assertThat(repository.search(Model.SIGNAL, SearchFilter.all().where(SearchField.PIPELINE_ID, id)))
                .extracting(s -> s.name()).containsExactly("paid");
    }

    @Test
    void aClosedOrMissingHandleIsRefusedWithAClearMessage() {
        Handle closed = jdbi.open();
        closed.close();

        assertThatThrownBy(() -> repository.using(closed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("open handle").hasMessageContaining("closed");
        assertThatThrownBy(() -> repository.using((Handle) null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("handle");
    }

    @Test
    void aHandleClosedAfterTheViewWasMadeFailsTheStartWithARepositoryException() {
        Handle handle = jdbi.open();
        IRepository view = repository.using(handle);
        handle.close();

        assertThatThrownBy(() -> orchestrator.starter(Fulfilment.class).inTransaction(view).start())
                .isInstanceOf(io.prorch.repository.RepositoryException.class).hasMessageContaining("saveAll");
        assertThat(orchestrator.executePipelines().claimed()).isZero();
    }

    private List<String> orders() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM orders ORDER BY id").mapTo(String.class).list());
    }
}
