package io.prorch.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The kill storm on one MariaDB database. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_MARIADB_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_MARIADB_URL to run")
class MariaDbKillStormTest extends KillStormContract {
    @Override
    ChaosDatabase newDatabase() {
        return ChaosDatabase.createMariaDb();
    }
}
