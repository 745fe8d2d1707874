package io.prorch.jdbc;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PassSummary;
import io.prorch.Pipeline;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.test.SettableClock;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A database that goes away loses nothing: errors name the operation, and work resumes once it is back. */
class DatabaseFaultTest {
    static volatile FlakyDataSource current;
    static final AtomicInteger FIRST_CALLS = new AtomicInteger();

    /** Takes the database down from inside its own hook the first time, so its result cannot be saved. */
    @Step(name = "First")
    public static class First implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            if (FIRST_CALLS.incrementAndGet() == 1) {
                current.down(true);
            }
            ctx.metadata().put("done", true);
        }
    }

    @Step(name = "Second")
    public static class Second implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.metadata().put("done", true);
        }
    }

    @Pipeline(name = "TwoSteps", steps = {First.class, Second.class})
    public static class TwoSteps {
    }

    private final FlakyDataSource dataSource = new FlakyDataSource(Databases.h2Memory());
    private final JdbcRepository repository = JdbcRepository.create(dataSource);

    @AfterEach
    void reset() {
        FIRST_CALLS.set(0);
    }

    @Test
    void whileTheDatabaseIsDownEveryOperationFailsNamingItselfAndNothingIsLost() {
        PipelineRecord saved = repository.save(aPipeline().build());

        dataSource.down(true);

        assertThatThrownBy(() -> repository.get(Model.PIPELINE, saved.id()))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("get of pipeline " + saved.id() + " failed")
                .hasMessageContaining("database is down");
        assertThatThrownBy(() -> repository.update(saved.withStatus(Status.FAILED)))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("update of pipeline " + saved.id());
        assertThatThrownBy(() -> repository.search(Model.PIPELINE, SearchFilter.all()))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("search of pipelines failed");

        dataSource.down(false);

        assertThat(repository.get(Model.PIPELINE, saved.id())).contains(saved);
        assertThat(repository.update(saved.withStatus(Status.FINISHED)).version()).isEqualTo(1);
    }

    @Test
    void aPassDuringAnOutageReportsTheErrorAndTheNextOneResumes() throws Exception {
        SettableClock clock = new SettableClock();
        try (Orchestrator orchestrator = orchestrator(clock)) {
            FIRST_CALLS.set(100);
            UUID id = orchestrator.start(TwoSteps.class, Map.of());
            orchestrator.awaitIdle(Duration.ofSeconds(10));
            assertThat(orchestrator.find(id).orElseThrow().status()).isEqualTo(Status.FINISHED);

            dataSource.down(true);
            PassSummary during = orchestrator.executePipelines();

            assertThat(during.problems()).singleElement().extracting(PassSummary.Problem::message).asString()
                    .contains("claiming due pipelines failed").contains("database is down");
            dataSource.down(false);
            assertThat(orchestrator.executePipelines().problems()).isEmpty();
        }
    }

    @Test
    void aTransitionLostWithTheDatabaseIsRedoneAfterTheClaimExpiresAndNothingIsLost() throws Exception {
        SettableClock clock = new SettableClock();
        current = dataSource;
        try (Orchestrator orchestrator = orchestrator(clock)) {
            List<UUID> ids = new ArrayList<>();
            ids.add(orchestrator.start(TwoSteps.class, Map.of("n", 1)));
            orchestrator.awaitIdle(Duration.ofSeconds(10));

            dataSource.down(false);
            PipelineRecord stuck = repository.get(Model.PIPELINE, ids.get(0)).orElseThrow();
            assertThat(stuck.status()).isEqualTo(Status.PENDING);
            assertThat(stuck.claimOwner()).as("claim still held by the orchestrator that lost its write").isNotNull();

            clock.advance(OrchestratorConfig.DEFAULT_CLAIM_DURATION.plusSeconds(1));
            PassSummary after = orchestrator.executePipelines();

            assertThat(after.finished()).isEqualTo(1);
            assertThat(FIRST_CALLS.get()).as("the hook whose result was lost ran again, once").isEqualTo(2);
            assertThat(repository.search(Model.PIPELINE, SearchFilter.all().where(SearchField.STATUS,
                    Status.FINISHED))).extracting(PipelineRecord::id).containsExactlyElementsOf(ids);
        }
    }

    private Orchestrator orchestrator(SettableClock clock) {
        return new Orchestrator(OrchestratorConfig.builder().repository(repository).register(TwoSteps.class)
                .clock(clock).build());
    }
}
