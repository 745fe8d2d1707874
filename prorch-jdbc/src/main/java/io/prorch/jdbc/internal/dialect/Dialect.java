package io.prorch.jdbc.internal.dialect;

import io.prorch.repository.RepositoryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/** What differs between the supported databases. */
public enum Dialect {
    /** H2 2.x, in memory or in a file. */
    H2("h2", false),
    /** PostgreSQL 12 or later. */
    POSTGRESQL("postgresql", true);

    private final String folder;
    private final boolean jsonb;

    Dialect(String folder, boolean jsonb) {
        this.folder = folder;
        this.jsonb = jsonb;
    }

    /** @return the Flyway location of this database's migrations */
    public String migrations() {
        return "classpath:io/prorch/jdbc/migration/" + folder;
    }

    /** @return the SQL for a positional JSON-valued parameter */
    public String json() {
        return jsonb ? "CAST(? AS JSONB)" : "?";
    }

    /** @return a query for the database server's current time, read as it is when the statement runs */
    public String currentTimeQuery() {
        return this == POSTGRESQL ? "SELECT clock_timestamp()" : "SELECT CURRENT_TIMESTAMP(6)";
    }

    /** @return true if claims can skip rows other transactions have locked ({@code FOR UPDATE SKIP LOCKED}) */
    public boolean skipLocked() {
        return this == POSTGRESQL;
    }

    /** Binds {@code ids} as one array parameter, for {@code uuid = ANY(?)}. */
    public void setUuids(Connection connection, PreparedStatement ps, int index, UUID[] ids) throws SQLException {
        if (this == POSTGRESQL) {
            ps.setArray(index, connection.createArrayOf("uuid", ids));
        } else {
            ps.setObject(index, ids);
        }
    }

    /**
     * @return the dialect of the database behind {@code dataSource}
     * @throws IllegalArgumentException if it is neither H2 nor PostgreSQL
     * @throws RepositoryException if no connection can be opened
     */
    public static Dialect detect(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            String name = product.toLowerCase(Locale.ROOT);
            if (name.contains("postgresql")) {
                return POSTGRESQL;
            }
            if (name.equals("h2")) {
                return H2;
            }
            throw new IllegalArgumentException("prorch-jdbc supports PostgreSQL and H2, not " + product
                    + "; implement IRepository for it, or ask for it in an issue");
        } catch (SQLException e) {
            throw new RepositoryException("Cannot open a connection to detect the database: " + e.getMessage(), e);
        }
    }
}
