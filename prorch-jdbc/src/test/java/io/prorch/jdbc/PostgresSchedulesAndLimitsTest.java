package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import javax.sql.DataSource;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Schedules and limits with several orchestrators, each with its own JdbcRepository, on one PostgreSQL schema. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
class PostgresSchedulesAndLimitsTest extends SchedulesAndLimitsContract {
    private final String schema = Databases.createPostgresSchema();
    private final DataSource database = Databases.postgres(schema);

    @Override
    IRepository store() {
        return JdbcRepository.create(database);
    }

    @Override
    void dropStore() {
        Databases.dropPostgresSchema(schema);
    }
}
