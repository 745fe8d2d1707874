package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The benchmark's database, set up as the peer harness does: a fresh PostgreSQL schema or a fresh H2 file, a HikariCP
 * pool of 8, and the same {@code BENCH_PG_URL}, {@code BENCH_PG_USER}, {@code BENCH_PG_PASSWORD} and
 * {@code BENCH_H2_DIR} variables.
 */
final class BenchDatabase {
    static final String PG_URL = env("BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = env("BENCH_PG_USER", "postgres");
    static final String PG_PASSWORD = System.getenv().getOrDefault("BENCH_PG_PASSWORD", "");
    static final String H2_DIR = env("BENCH_H2_DIR", "/tmp/bench-h2");
    private static final String NAME = "b_prorch";

    private BenchDatabase() {
    }

    private static String env(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** @return a pool of {@code size} on an empty namespace of {@code db} ("pg" or "h2") */
    static HikariDataSource fresh(String db, int size, String h2Dir) throws SQLException, IOException {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench-prorch");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(60_000);
        if (db.equals("pg")) {
            admin("DROP SCHEMA IF EXISTS " + NAME + " CASCADE", "CREATE SCHEMA " + NAME);
            config.setJdbcUrl(PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + NAME);
            config.setUsername(PG_USER);
            config.setPassword(PG_PASSWORD);
        } else if (db.equals("h2")) {
            Path dir = Path.of(h2Dir);
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (p.getFileName().toString().startsWith(NAME + ".")) {
                        Files.delete(p);
                    }
                }
            }
            // plain file mode with H2's defaults, as the peers run
            config.setJdbcUrl("jdbc:h2:" + dir.resolve(NAME).toAbsolutePath());
            config.setUsername("sa");
            config.setPassword("");
        } else {
            throw new IllegalArgumentException("--db must be pg or h2, not " + db);
        }
        return new HikariDataSource(config);
    }

    /** @return a pool of {@code size} on the PostgreSQL schema a run set up, left as it is (a second JVM's view) */
    static HikariDataSource existingPg(int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench-prorch-peer");
        config.setMaximumPoolSize(size);
        config.setJdbcUrl(PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + NAME);
        config.setUsername(PG_USER);
        config.setPassword(PG_PASSWORD);
        return new HikariDataSource(config);
    }

    static void admin(String... sqls) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD); Statement s = c.createStatement()) {
            for (String sql : sqls) {
                s.execute(sql);
            }
        }
    }

    static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** @return how many rows of {@code table} have each status, e.g. {@code {finished=377, pending=3}} */
    static Map<String, Long> statuses(DataSource ds, String table) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT status, COUNT(*) FROM " + table + " GROUP BY status")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    /** On PostgreSQL, refreshes the tables' statistics after a bulk load, so passes are planned on what was loaded. */
    static void analyze(String db, DataSource ds) throws SQLException {
        if (db.equals("pg")) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("ANALYZE pipelines");
                s.execute("ANALYZE pipeline_steps");
            }
        }
    }

    /** @return PostgreSQL's {commits, rows written, rows read} of the database so far */
    static long[] pgStats() throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
            try (ResultSet rs = s.executeQuery("SELECT xact_commit, tup_inserted + tup_updated + tup_deleted,"
                    + " tup_returned + tup_fetched FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            }
        }
    }
}
