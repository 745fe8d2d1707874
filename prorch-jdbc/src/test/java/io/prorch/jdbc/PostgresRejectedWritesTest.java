package io.prorch.jdbc;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RecordRejectedException;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link RejectedWritesTest} on PostgreSQL, plus values only PostgreSQL cannot encode. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
class PostgresRejectedWritesTest extends RejectedWritesTest {
    private String schema;

    @Override
    protected DataSource newDatabase() {
        schema = Databases.createPostgresSchema();
        return Databases.postgres(schema);
    }

    @Override
    protected void dropDatabase() {
        Databases.dropPostgresSchema(schema);
    }

    @Test
    void aNulCharacterInANameIsRejected() {
        assertThatThrownBy(() -> repository.save(aPipeline().withName("a\u0000b").build()))
                .isInstanceOf(RecordRejectedException.class).hasMessageContaining("SQLState 22");
        assertNothingStored();
    }

    @Test
    void anInstantPostgresqlCannotHoldIsRejected() {
        PipelineRecord pipeline = aPipeline().withDueAt(Instant.parse("+300000-01-01T00:00:00Z")).build();

        assertThatThrownBy(() -> repository.save(pipeline)).isInstanceOf(RecordRejectedException.class)
                .hasMessageContaining("SQLState 22");
        assertNothingStored();
    }
}
