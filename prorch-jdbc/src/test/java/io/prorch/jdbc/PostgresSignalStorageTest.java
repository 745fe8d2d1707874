package io.prorch.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link SignalStorageTest} on PostgreSQL, where a batch's signals take their own one-statement array update. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
class PostgresSignalStorageTest extends SignalStorageTest {
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
}
