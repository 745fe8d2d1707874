package io.prorch.jdbc;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static io.prorch.test.contract.RecordBuilders.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RecordRejectedException;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StepRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes the database refuses for the data itself throw {@link RecordRejectedException} and leave nothing written;
 * duplicates stay {@link DuplicateRecordException} and passing failures plain {@link RepositoryException}. On H2;
 * {@link PostgresRejectedWritesTest} runs the same on PostgreSQL.
 */
class RejectedWritesTest {
    protected DataSource dataSource;
    protected JdbcRepository repository;

    protected DataSource newDatabase() {
        return Databases.h2Memory();
    }

    protected void dropDatabase() {
        sql("SHUTDOWN");
    }

    @BeforeEach
    void open() {
        dataSource = newDatabase();
        repository = JdbcRepository.create(dataSource);
        // a rule of the operator's own, as a DBA might add
        sql("ALTER TABLE pipelines ADD CONSTRAINT short_names CHECK (LENGTH(name) < 20)");
    }

    @AfterEach
    void close() {
        dropDatabase();
    }

    @Test
    void metadataOverTheLimitIsRejectedBeforeAnythingIsWritten() {
        JdbcRepository small = JdbcRepository.builder().dataSource(dataSource).maxMetadataBytes(2048).build();
        PipelineRecord pipeline = aPipeline().build();
        StepRecord big = aStep().withPipelineId(pipeline.id()).withMetadata(Map.of("blob", "x".repeat(4000))).build();

        assertThatThrownBy(() -> small.saveAll(List.of(pipeline, big))).isInstanceOf(RecordRejectedException.class)
                .hasMessageContaining("step " + big.id()).hasMessageContaining("over the limit of 2048 bytes");
        assertNothingStored();
    }

    @Test
    void aCheckConstraintViolationIsRejectedAndTheBatchLeavesNothing() {
        PipelineRecord longName = aPipeline().withName("a-name-longer-than-twenty").build();
        StepRecord step = aStep().withPipelineId(longName.id()).build();

        assertThatThrownBy(() -> repository.saveAll(List.of(step, longName)))
                .isInstanceOf(RecordRejectedException.class)
                .hasMessageContaining("refused by the database for its data").hasMessageContaining("SQLState 23")
                .hasMessageContaining("saveAll of 2 records").cause().isInstanceOf(SQLException.class);
        assertNothingStored();
    }

    @Test
    void anUpdateBreakingAConstraintIsRejectedAndNothingOfTheBatchIsApplied() {
        PipelineRecord pipeline = repository.save(aPipeline().build());
        StepRecord step = repository.save(aStep().withPipelineId(pipeline.id()).build());

        assertThatThrownBy(() -> repository.updateAll(List.of(pipeline.toBuilder().name("a-name-longer-than-twenty").build(),
                step.withMetadata(Map.of("changed", true))))).isInstanceOf(RecordRejectedException.class)
                .hasMessageContaining("updateAll of 2 records");
        assertThatThrownBy(() -> repository.update(pipeline.toBuilder().name("a-name-longer-than-twenty").build()))
                .isInstanceOf(RecordRejectedException.class).hasMessageContaining("update of pipeline " + pipeline.id());
        assertThat(repository.get(Model.PIPELINE, pipeline.id())).contains(pipeline);
        assertThat(repository.get(Model.STEP, step.id())).contains(step);
    }

    @Test
    void aDuplicateStaysADuplicateAndAMissingTableAPassingFailure() {
        PipelineRecord pipeline = repository.save(aPipeline().withIdempotencyKey("k").build());

        assertThatThrownBy(() -> repository.save(pipeline)).isExactlyInstanceOf(DuplicateRecordException.class);
        assertThatThrownBy(() -> repository.save(aPipeline().withIdempotencyKey("k").build()))
                .isExactlyInstanceOf(DuplicateRecordException.class);
        sql("DROP TABLE pipeline_steps");
        assertThatThrownBy(() -> repository.save(aStep().build())).isExactlyInstanceOf(RepositoryException.class);
    }

    @Test
    void aViewOnTheCallersConnectionRejectsOversizedMetadataBeforeItsFirstStatement() throws SQLException {
        JdbcRepository small = JdbcRepository.builder().dataSource(dataSource).maxMetadataBytes(2048).build();
        PipelineRecord pipeline = aPipeline().withMetadata(Map.of("blob", "x".repeat(4000))).build();
        StepRecord step = aStep().withPipelineId(pipeline.id()).build();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);

            assertThatThrownBy(() -> small.using(c).saveAll(List.of(step, pipeline)))
                    .isInstanceOf(RecordRejectedException.class);
            c.commit();
        }
        assertNothingStored();
    }

    protected void assertNothingStored() {
        assertThat(repository.search(Model.PIPELINE, SearchFilter.all())).isEmpty();
        assertThat(repository.search(Model.STEP, SearchFilter.all())).isEmpty();
    }

    protected void sql(String statement) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + " failed", e);
        }
    }
}
