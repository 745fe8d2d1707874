package io.prorch.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** kill -9 during compensation, fan-out and fan-in on PostgreSQL, a fresh schema per test. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
class PostgresShapesKillTest extends ShapesKillContract {
    private String schema;

    @Override
    String url() {
        if (schema == null) {
            schema = Databases.createPostgresSchema();
        }
        String separator = Databases.POSTGRES_URL.contains("?") ? "&" : "?";
        return Databases.POSTGRES_URL + separator + "currentSchema=" + schema;
    }

    @AfterEach
    void drop() {
        if (schema != null) {
            Databases.dropPostgresSchema(schema);
        }
    }
}
