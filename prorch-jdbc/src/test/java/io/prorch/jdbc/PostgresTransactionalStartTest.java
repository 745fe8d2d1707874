package io.prorch.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Transactional start on PostgreSQL, in a fresh schema per test. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
class PostgresTransactionalStartTest extends TransactionalStartContract {
    private String schema;

    @Override
    DataSource newDatabase() {
        schema = Databases.createPostgresSchema();
        return Databases.postgres(schema);
    }

    @Override
    String childUrl() {
        String separator = Databases.POSTGRES_URL.contains("?") ? "&" : "?";
        return Databases.POSTGRES_URL + separator + "currentSchema=" + schema;
    }

    @AfterEach
    void drop() {
        Databases.dropPostgresSchema(schema);
    }
}
