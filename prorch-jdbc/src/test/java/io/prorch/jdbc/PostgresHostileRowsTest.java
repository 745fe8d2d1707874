package io.prorch.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The hand-damaged rows of {@link HostileRowsTest} on PostgreSQL (jsonb metadata), each test in a fresh schema. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
class PostgresHostileRowsTest extends HostileRowsTest {
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

    @Override
    protected boolean jsonColumns() {
        return true;
    }
}
