package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import io.prorch.test.contract.RepositoryContractTest;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The contract kit on MariaDB, on a repository created from a Jdbi: every test in a fresh database, dropped afterwards. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_MARIADB_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_MARIADB_URL to run")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbJdbiRepositoryContractTest extends RepositoryContractTest {
    private final List<String> databases = new ArrayList<>();

    @Override
    protected IRepository newRepository() {
        String database = Databases.createMariaDbDatabase();
        databases.add(database);
        return JdbcRepository.create(Jdbi.create(Databases.mariaDb(database)));
    }

    @AfterAll
    void dropDatabases() {
        databases.forEach(Databases::dropMariaDbDatabase);
    }
}
