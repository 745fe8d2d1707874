package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import javax.sql.DataSource;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Schedules and limits with several orchestrators, each with its own JdbcRepository, on one MariaDB database. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_MARIADB_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_MARIADB_URL to run")
class MariaDbSchedulesAndLimitsTest extends SchedulesAndLimitsContract {
    private final String database = Databases.createMariaDbDatabase();
    private final DataSource dataSource = Databases.mariaDb(database);

    @Override
    IRepository store() {
        return JdbcRepository.create(dataSource);
    }

    @Override
    void dropStore() {
        Databases.dropMariaDbDatabase(database);
    }
}
