package io.prorch.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The kill storm on one PostgreSQL schema. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
class PostgresKillStormTest extends KillStormContract {
    @Override
    ChaosDatabase newDatabase() {
        return ChaosDatabase.create();
    }
}
