package io.prorch.boot4;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link Boot4StarterTest} on PostgreSQL (PRORCH_TEST_POSTGRES_URL), each application in a schema of its own. */
class Boot4StarterPostgresTest extends Boot4StarterTest {
    private static final String URL = System.getenv("PRORCH_TEST_POSTGRES_URL");
    private final List<String> schemas = new ArrayList<>();

    @BeforeEach
    void requirePostgres() {
        assumeTrue(URL != null && !URL.isBlank(), "PRORCH_TEST_POSTGRES_URL is not set: skipping the PostgreSQL tests");
    }

    @Override
    protected String databaseUrl(String name) {
        schemas.add(name);
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    /** Boot's Flyway creates the schema: it runs before prorch's migrations, which find it in place. */
    @Override
    protected List<String> isolation(String name) {
        return List.of("spring.flyway.schemas=" + name);
    }

    @AfterEach
    void dropSchemas() throws Exception {
        if (schemas.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
