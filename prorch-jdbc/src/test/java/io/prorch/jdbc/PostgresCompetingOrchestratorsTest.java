package io.prorch.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Four orchestrators competing for 2,000 pipelines on one PostgreSQL schema. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
class PostgresCompetingOrchestratorsTest extends CompetingOrchestratorsContract {
    @Override
    ChaosDatabase newDatabase() {
        return ChaosDatabase.create();
    }
}
