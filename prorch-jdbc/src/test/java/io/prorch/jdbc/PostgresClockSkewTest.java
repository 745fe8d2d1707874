package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Promise 8 on PostgreSQL, in a fresh schema per test. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
class PostgresClockSkewTest extends ClockSkewContract {
    private String schema;

    @Override
    IRepository newRepository() {
        schema = Databases.createPostgresSchema();
        return JdbcRepository.create(Databases.postgres(schema));
    }

    @AfterEach
    void drop() {
        Databases.dropPostgresSchema(schema);
    }
}
