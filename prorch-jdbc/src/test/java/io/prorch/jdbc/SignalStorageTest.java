package io.prorch.jdbc;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static io.prorch.test.contract.RecordBuilders.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.Status;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RecordRejectedException;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.SignalRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signals in the batches of pipelines and steps: a transition that consumes a signal is one transaction, so a
 * conflict or a refusal of any of its records, the signal's included, leaves all of them as they were. On H2;
 * {@link PostgresSignalStorageTest} and {@link MariaDbSignalStorageTest} run the same on their databases.
 */
class SignalStorageTest {
    private static final Instant T = Instant.parse("2026-05-06T07:08:09.123456Z");

    protected DataSource dataSource;
    protected JdbcRepository repository;
    private PipelineRecord pipeline;
    private StepRecord step;
    private SignalRecord signal;

    protected DataSource newDatabase() {
        return Databases.h2Memory();
    }

    protected void dropDatabase() {
        sql("SHUTDOWN");
    }

    @BeforeEach
    void open() {
        dataSource = newDatabase();
        repository = JdbcRepository.builder().dataSource(dataSource).maxMetadataBytes(2048).build();
        pipeline = repository.save(aPipeline().withStatus(Status.PENDING).build());
        step = repository.save(aStep().withPipelineId(pipeline.id()).withStatus(Status.PENDING).build());
        signal = repository.save(SignalRecord.sent(UUID.randomUUID(), pipeline.id(), "approved", Map.of("by", "ann"),
                T));
    }

    @AfterEach
    void close() {
        dropDatabase();
    }

    /** The transition that consumes {@link #signal}: the pipeline first, as the orchestrator orders it. */
    private List<StoredRecord> consuming(SignalRecord consumed) {
        return List.of(pipeline.withStatus(Status.FINISHED), step.withStatus(Status.FINISHED), consumed);
    }

    @Test
    void aTransitionConsumingASignalCommitsAllOfItsRecords() {
        repository.updateAll(consuming(signal.consumedBy(0, T.plusSeconds(1))));

        assertThat(repository.get(Model.PIPELINE, pipeline.id())).get().extracting(PipelineRecord::status)
                .isEqualTo(Status.FINISHED);
        assertThat(repository.get(Model.STEP, step.id())).get().extracting(StepRecord::status)
                .isEqualTo(Status.FINISHED);
        assertThat(repository.get(Model.SIGNAL, signal.id())).contains(signal.consumedBy(0, T.plusSeconds(1))
                .withVersion(1));
    }

    @Test
    void aSignalConsumedElsewhereFirstLeavesThePipelineAndStepOfTheBatchUnchanged() {
        // another transition consumed it first (the signal is written last, after the pipeline and step)
        repository.update(signal.consumedBy(3, T.plusSeconds(1)));

        assertThatThrownBy(() -> repository.updateAll(consuming(signal.consumedBy(0, T.plusSeconds(2)))))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.model()).isEqualTo(Model.SIGNAL);
                    assertThat(e.id()).isEqualTo(signal.id());
                });
        assertUnchanged(pipeline, step);
        assertThat(repository.get(Model.SIGNAL, signal.id())).get().extracting(SignalRecord::consumedByStep)
                .isEqualTo(3);
    }

    @Test
    void aStalePipelineLeavesTheSignalPending() {
        repository.update(pipeline.withDueAt(T));

        assertThatThrownBy(() -> repository.updateAll(consuming(signal.consumedBy(0, T.plusSeconds(1)))))
                .isInstanceOf(VersionConflictException.class).hasMessageContaining(pipeline.id().toString());
        assertThat(repository.get(Model.SIGNAL, signal.id())).contains(signal);
        assertThat(repository.get(Model.STEP, step.id())).contains(step);
    }

    @Test
    void aSignalTheStoreRefusesLeavesNothingOfTheBatchWritten() {
        SignalRecord big = new SignalRecord(signal.id(), pipeline.id(), signal.name(), Status.FINISHED,
                Map.of("blob", "x".repeat(4000)), signal.version(), signal.createdAt(), T.plusSeconds(1), 0);

        assertThatThrownBy(() -> repository.updateAll(consuming(big))).isInstanceOf(RecordRejectedException.class)
                .hasMessageContaining("signal " + signal.id()).hasMessageContaining("over the limit of 2048 bytes");
        assertUnchanged(pipeline, step);
        assertThat(repository.get(Model.SIGNAL, signal.id())).contains(signal);
    }

    @Test
    void aSaveOfAPipelineWithItsStepsAndSignalsIsOneAndADuplicateSignalLeavesNoneOfIt() {
        PipelineRecord next = aPipeline().build();
        StepRecord first = aStep().withPipelineId(next.id()).build();
        SignalRecord early = SignalRecord.sent(UUID.randomUUID(), next.id(), "go", Map.of("n", 1L), T);

        repository.saveAll(List.of(first, early, next));
        PipelineRecord other = aPipeline().build();
        StepRecord its = aStep().withPipelineId(other.id()).build();

        assertThat(repository.getAll(Model.SIGNAL, List.of(early.id()))).containsExactly(early);
        assertThat(repository.get(Model.PIPELINE, next.id())).contains(next);
        assertThatThrownBy(() -> repository.saveAll(List.of(its, early, other)))
                .isInstanceOfSatisfying(DuplicateRecordException.class, e -> {
                    assertThat(e.model()).isEqualTo(Model.SIGNAL);
                    assertThat(e.id()).isEqualTo(early.id());
                });
        assertThat(repository.get(Model.PIPELINE, other.id())).isEmpty();
        assertThat(repository.get(Model.STEP, its.id())).isEmpty();
    }

    @Test
    void aSignalNameOfTheLongestAllowedLengthInAnyScriptFitsItsColumn() {
        SignalRecord longest = SignalRecord.sent(UUID.randomUUID(), pipeline.id(), "\u00e9".repeat(
                SignalRecord.MAX_NAME_LENGTH), Map.of(), T.plusSeconds(1));

        repository.save(longest);

        assertThat(repository.search(Model.SIGNAL, SearchFilter.all().where(SearchField.NAME, longest.name())))
                .containsExactly(longest);
    }

    private void assertUnchanged(PipelineRecord p, StepRecord s) {
        assertThat(repository.get(Model.PIPELINE, p.id())).contains(p);
        assertThat(repository.get(Model.STEP, s.id())).contains(s);
    }

    protected void sql(String statement) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + " failed", e);
        }
    }
}
