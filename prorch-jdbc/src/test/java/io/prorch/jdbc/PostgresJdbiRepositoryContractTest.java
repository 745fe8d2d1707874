package io.prorch.jdbc;

import io.prorch.repository.IRepository;
import io.prorch.test.contract.RepositoryContractTest;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The contract kit on PostgreSQL, on a repository created from a Jdbi: every test in a fresh schema, dropped afterwards. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresJdbiRepositoryContractTest extends RepositoryContractTest {
    private final List<String> schemas = new ArrayList<>();

    @Override
    protected IRepository newRepository() {
        String schema = Databases.createPostgresSchema();
        schemas.add(schema);
        return JdbcRepository.create(Jdbi.create(Databases.postgres(schema)));
    }

    @AfterAll
    void dropSchemas() {
        schemas.forEach(Databases::dropPostgresSchema);
    }
}
