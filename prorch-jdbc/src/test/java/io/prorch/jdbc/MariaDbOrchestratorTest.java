package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The JDBC end-to-end run on MariaDB, in a fresh database. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_MARIADB_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_MARIADB_URL to run")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbOrchestratorTest extends OrchestratorOnJdbcContract {
    private String database;

    @Override
    IRepository repository() {
        database = Databases.createMariaDbDatabase();
        return JdbcRepository.create(Databases.mariaDb(database));
    }

    @AfterAll
    void drop() {
        if (database != null) {
            Databases.dropMariaDbDatabase(database);
        }
    }
}
