package io.prorch.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** {@link SignalStorageTest} on MariaDB. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_MARIADB_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_MARIADB_URL to run")
class MariaDbSignalStorageTest extends SignalStorageTest {
    private String database;

    @Override
    protected DataSource newDatabase() {
        database = Databases.createMariaDbDatabase();
        return Databases.mariaDb(database);
    }

    @Override
    protected void dropDatabase() {
        Databases.dropMariaDbDatabase(database);
    }
}
