package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Compensation and child pipelines on MariaDB, a fresh database per test. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_MARIADB_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_MARIADB_URL to run")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbShapesTest extends ShapesContract {
    private final List<String> databases = new ArrayList<>();

    @Override
    IRepository repository() {
        String database = Databases.createMariaDbDatabase();
        databases.add(database);
        return JdbcRepository.create(Databases.mariaDb(database));
    }

    @AfterAll
    void drop() {
        databases.forEach(Databases::dropMariaDbDatabase);
    }
}
