package io.prorch.examples.boot;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link BootSampleApplicationTest} on PostgreSQL (PRORCH_TEST_POSTGRES_URL), in a schema of its own. */
class BootSampleApplicationPostgresTest extends BootSampleApplicationTest {
    private static final String URL = System.getenv("PRORCH_TEST_POSTGRES_URL");
    private final String schema = "boot_sample_" + System.nanoTime();

    @BeforeEach
    void requirePostgres() {
        assumeTrue(URL != null && !URL.isBlank(), "PRORCH_TEST_POSTGRES_URL is not set: skipping the PostgreSQL tests");
    }

    /** The application's Flyway creates the schema; prorch migrates into it afterwards. */
    @Override
    protected List<String> databaseArguments() {
        return List.of("--spring.datasource.url=" + URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                "--spring.flyway.schemas=" + schema);
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (URL == null || URL.isBlank()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
