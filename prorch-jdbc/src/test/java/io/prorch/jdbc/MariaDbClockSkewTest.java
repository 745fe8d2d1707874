package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Promise 8 on MariaDB, in a fresh database per test. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_MARIADB_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_MARIADB_URL to run")
class MariaDbClockSkewTest extends ClockSkewContract {
    private String database;

    @Override
    IRepository newRepository() {
        database = Databases.createMariaDbDatabase();
        return JdbcRepository.create(Databases.mariaDb(database));
    }

    @AfterEach
    void drop() {
        Databases.dropMariaDbDatabase(database);
    }
}
