package io.prorch.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Test databases: a unique H2 in memory or in a file, a fresh PostgreSQL schema per test class, and a fresh MariaDB
 * database per test class (MariaDB has no schemas within a database).
 */
final class Databases {
    static final String POSTGRES_URL = System.getenv("PRORCH_TEST_POSTGRES_URL");
    static final String MARIADB_URL = System.getenv("PRORCH_TEST_MARIADB_URL");

    private Databases() {
    }

    static DataSource h2Memory() {
        return new UrlDataSource("jdbc:h2:mem:prorch-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", false);
    }

    static DataSource h2File(java.nio.file.Path dir) {
        return new UrlDataSource("jdbc:h2:" + dir.resolve("prorch").toAbsolutePath(), false);
    }

    static DataSource h2MemoryAutocommitOff() {
        return new UrlDataSource("jdbc:h2:mem:prorch-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", true);
    }

    /** @return a new schema's name, created in the PostgreSQL test database */
    static String createPostgresSchema() {
        String schema = "prorch_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        postgresAdmin("CREATE SCHEMA " + schema);
        return schema;
    }

    static void dropPostgresSchema(String schema) {
        postgresAdmin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    /** @return a data source whose connections use {@code schema} as their current schema */
    static DataSource postgres(String schema) {
        String separator = POSTGRES_URL.contains("?") ? "&" : "?";
        return new UrlDataSource(POSTGRES_URL + separator + "currentSchema=" + schema
                + "&ApplicationName=prorch-test-" + schema, false);
    }

    static void postgresAdmin(String sql) {
        try (Connection c = DriverManager.getConnection(POSTGRES_URL); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    /** @return a new database's name, created on the MariaDB test server */
    static String createMariaDbDatabase() {
        String database = "prorch_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        mariaDbAdmin("CREATE DATABASE " + database);
        return database;
    }

    static void dropMariaDbDatabase(String database) {
        mariaDbAdmin("DROP DATABASE IF EXISTS " + database);
    }

    /** @return a data source whose connections use {@code database} */
    static DataSource mariaDb(String database) {
        return new UrlDataSource(mariaDbUrl(database), false);
    }

    /** @return {@link #MARIADB_URL} with {@code database} in place of its own, parameters kept */
    static String mariaDbUrl(String database) {
        int authority = MARIADB_URL.indexOf("//") + 2;
        int end = authority;
        while (end < MARIADB_URL.length() && MARIADB_URL.charAt(end) != '/' && MARIADB_URL.charAt(end) != '?') {
            end++;
        }
        int query = MARIADB_URL.indexOf('?', authority);
        return MARIADB_URL.substring(0, end) + "/" + database + (query < 0 ? "" : MARIADB_URL.substring(query));
    }

    static void mariaDbAdmin(String sql) {
        try (Connection c = DriverManager.getConnection(MARIADB_URL); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    /** A DataSource that opens a new connection per call, optionally with autocommit off (as some pools do). */
    static class UrlDataSource implements DataSource {
        private final String url;
        private final boolean autocommitOff;

        UrlDataSource(String url, boolean autocommitOff) {
            this.url = url;
            this.autocommitOff = autocommitOff;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = DriverManager.getConnection(url);
            if (autocommitOff) {
                connection.setAutoCommit(false);
            }
            return connection;
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
