package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Compensation and child pipelines on PostgreSQL, a fresh schema per test. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresShapesTest extends ShapesContract {
    private final List<String> schemas = new ArrayList<>();

    @Override
    IRepository repository() {
        String schema = Databases.createPostgresSchema();
        schemas.add(schema);
        return JdbcRepository.create(Databases.postgres(schema));
    }

    @AfterAll
    void drop() {
        schemas.forEach(Databases::dropPostgresSchema);
    }
}
