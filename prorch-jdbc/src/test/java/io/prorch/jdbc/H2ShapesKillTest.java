package io.prorch.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** kill -9 during compensation, fan-out and fan-in on an H2 file database (one JVM opens it at a time). */
class H2ShapesKillTest extends ShapesKillContract {
    private final String name = "shapes-kill-" + UUID.randomUUID();

    @Override
    String url() {
        return "jdbc:h2:" + dir.resolve(name).toAbsolutePath() + ";WRITE_DELAY=0";
    }

    /**
     * Closes the database file before the temporary directory is deleted: H2 may still be writing it from a
     * background thread after the last orchestrator closed, and the deletion then fails on a directory not empty.
     */
    @AfterEach
    void shutDownDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }
}
