package io.prorch.jdbc.internal.dialect;

import io.prorch.repository.RepositoryException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * @return true if rows' ids and instants are bound as text, in the parameters of {@link #uuid()} and
     *     {@link #instant()} (PostgreSQL), which keeps the driver's generic {@code setObject}, a large method to
     *     compile, off the path of every transition
     */
    public boolean bindsText() {
        return this == POSTGRESQL;
    }

    /** @return the SQL for a positional uuid parameter: a cast of text where {@link #bindsText()} */
    public String uuid() {
        return bindsText() ? "CAST(? AS uuid)" : "?";
    }

    /** @return the SQL for a positional instant parameter: a cast of text where {@link #bindsText()} */
    public String instant() {
        return bindsText() ? "CAST(? AS timestamptz)" : "?";
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

    /** The oldest H2 whose reads always see the latest commit. */
    public static final String H2_MINIMUM = "2.3.232";

    private static final Pattern VERSION = Pattern.compile("^\\s*(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final int[] H2_MINIMUM_NUMBERS = versionNumbers(H2_MINIMUM);

    /**
     * Refuses H2 releases before {@value #H2_MINIMUM}: they mark a committing transaction's tables as changed before
     * the commit is visible, so a read in that instant is cached without the commit and served again until the next
     * write, and a finished pipeline can look unfinished indefinitely. A version this cannot parse is let through.
     *
     * @param version H2's product version, as {@code DatabaseMetaData} reports it ({@code "2.3.232 (2024-08-11)"})
     * @throws IllegalStateException if {@code version} is older than {@value #H2_MINIMUM}
     */
    public static void requireH2WithoutStaleReads(String version) {
        int[] have = versionNumbers(version);
        if (have != null && Arrays.compare(have, H2_MINIMUM_NUMBERS) < 0) {
            throw new IllegalStateException("prorch-jdbc needs H2 " + H2_MINIMUM + " or later, found " + version
                    + ": older releases can serve a read that misses a commit, so pipelines would stall;"
                    + " upgrade com.h2database:h2");
        }
    }

    /** @return major, minor and build of a version like {@code "2.3.232 (2024-08-11)"}, or null if it has none */
    private static int[] versionNumbers(String version) {
        if (version == null) {
            return null;
        }
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }

    /**
     * @return the dialect of the database behind {@code dataSource}
     * @throws IllegalArgumentException if it is neither H2 nor PostgreSQL
     * @throws IllegalStateException if it is an H2 older than {@value #H2_MINIMUM}
     * @throws RepositoryException if no connection can be opened
     */
    public static Dialect detect(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            String product = meta.getDatabaseProductName();
            String name = product.toLowerCase(Locale.ROOT);
            if (name.contains("postgresql")) {
                return POSTGRESQL;
            }
            if (name.equals("h2")) {
                requireH2WithoutStaleReads(meta.getDatabaseProductVersion());
                return H2;
            }
            throw new IllegalArgumentException("prorch-jdbc supports PostgreSQL and H2, not " + product
                    + "; implement IRepository for it, or ask for it in an issue");
        } catch (SQLException e) {
            throw new RepositoryException("Cannot open a connection to detect the database: " + e.getMessage(), e);
        }
    }
}
