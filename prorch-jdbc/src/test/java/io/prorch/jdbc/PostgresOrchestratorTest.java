package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The JDBC end-to-end run on PostgreSQL, in a fresh schema. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresOrchestratorTest extends OrchestratorOnJdbcContract {
    private String schema;

    @Override
    IRepository repository() {
        schema = Databases.createPostgresSchema();
        return JdbcRepository.create(Databases.postgres(schema));
    }

    @AfterAll
    void drop() {
        if (schema != null) {
            Databases.dropPostgresSchema(schema);
        }
    }
}
