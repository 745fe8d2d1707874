package io.prorch.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Transactional start through a JDBI handle, on PostgreSQL, in a fresh schema per test. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
class PostgresJdbiTransactionalStartTest extends JdbiTransactionalStartContract {
    private String schema;

    @Override
    DataSource newDatabase() {
        schema = Databases.createPostgresSchema();
        return Databases.postgres(schema);
    }

    @AfterEach
    void drop() {
        Databases.dropPostgresSchema(schema);
    }
}
