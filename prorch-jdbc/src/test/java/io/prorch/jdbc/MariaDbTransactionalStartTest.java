package io.prorch.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Transactional start on MariaDB, in a fresh database per test. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_MARIADB_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_MARIADB_URL to run")
class MariaDbTransactionalStartTest extends TransactionalStartContract {
    private String database;

    @Override
    DataSource newDatabase() {
        database = Databases.createMariaDbDatabase();
        return Databases.mariaDb(database);
    }

    @Override
    String childUrl() {
        return Databases.mariaDbUrl(database);
    }

    @AfterEach
    void drop() {
        Databases.dropMariaDbDatabase(database);
    }
}
