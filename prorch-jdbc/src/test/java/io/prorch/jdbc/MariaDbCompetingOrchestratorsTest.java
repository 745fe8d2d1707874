package io.prorch.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Four orchestrators competing for 2,000 pipelines on one MariaDB database. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_MARIADB_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_MARIADB_URL to run")
class MariaDbCompetingOrchestratorsTest extends CompetingOrchestratorsContract {
    @Override
    ChaosDatabase newDatabase() {
        return ChaosDatabase.createMariaDb();
    }
}
