package io.prorch.jdbc.internal.dialect;

import io.prorch.repository.RepositoryException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
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
    POSTGRESQL("postgresql", true),
    /** MariaDB 10.6 or later (for {@code SKIP LOCKED}), through MariaDB Connector/J. */
    MARIADB("mariadb", false);

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

    /**
     * @return true if instants are stored as UTC wall-clock times without a zone ({@code DATETIME(6)} on MariaDB),
     *     bound and read as {@code LocalDateTime}s in UTC
     */
    public boolean utcDateTimes() {
        return this == MARIADB;
    }

    /**
     * @return a query for the database server's current time, read as it is when the statement runs (in UTC where
     *     {@link #utcDateTimes()}, whatever the session's time zone)
     */
    public String currentTimeQuery() {
        return switch (this) {
            case POSTGRESQL -> "SELECT clock_timestamp()";
            case MARIADB -> "SELECT UTC_TIMESTAMP(6)";
            case H2 -> "SELECT CURRENT_TIMESTAMP(6)";
        };
    }

    /** @return an ORDER BY term: {@code column} ascending, NULLs last (MariaDB has no {@code NULLS LAST}) */
    public String ascendingNullsLast(String column) {
        return this == MARIADB ? column + " IS NULL, " + column : column + " ASC NULLS LAST";
    }

    /** @return true if claims can skip rows other transactions have locked ({@code FOR UPDATE SKIP LOCKED}) */
    public boolean skipLocked() {
        return this != H2;
    }

    /** @return true if a claim can update the rows it locks and return them in one statement ({@code RETURNING}) */
    public boolean updateReturning() {
        return this == POSTGRESQL;
    }

    /** @return the condition on a uuid column after the column's name, for {@code count} ids bound by {@link #setUuids} */
    public String uuidIn(int count) {
        // MariaDB has no arrays: an IN list; elsewhere one array parameter, the same statement for any count
        return this == MARIADB ? "IN (" + String.join(", ", Collections.nCopies(count, "?")) + ")" : "= ANY(?)";
    }

    /** Binds {@code ids} for {@link #uuidIn}: one array parameter, or one parameter each on MariaDB. */
    public void setUuids(Connection connection, PreparedStatement ps, int index, UUID[] ids) throws SQLException {
        switch (this) {
            case POSTGRESQL -> ps.setArray(index, connection.createArrayOf("uuid", ids));
            case MARIADB -> {
                for (int i = 0; i < ids.length; i++) {
                    ps.setObject(index + i, ids[i]);
                }
            }
            case H2 -> ps.setObject(index, ids);
        }
    }

    /**
     * @return true if {@code e} (or an exception it chains) reports a duplicate key: SQLState 23505, or MariaDB's
     *     error 1062, whose SQLState 23000 also covers other integrity violations
     */
    public boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (duplicateKey(s)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private boolean duplicateKey(SQLException e) {
        // MariaDB's ER_DUP_ENTRY
        return this == MARIADB ? e.getErrorCode() == 1062 : "23505".equals(e.getSQLState());
    }

    /** The oldest MariaDB with {@code SELECT ... FOR UPDATE SKIP LOCKED}, which claims need. */
    public static final String MARIADB_MINIMUM = "10.6";

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
     * Refuses MariaDB releases before {@value #MARIADB_MINIMUM}, which have no {@code SKIP LOCKED}.
     *
     * @throws IllegalStateException if {@code major.minor} is older than {@value #MARIADB_MINIMUM}
     */
    public static void requireMariaDbWithSkipLocked(int major, int minor, String version) {
        if (major < 10 || major == 10 && minor < 6) {
            throw new IllegalStateException("prorch-jdbc needs MariaDB " + MARIADB_MINIMUM + " or later, found "
                    + version + ": older releases have no SELECT ... FOR UPDATE SKIP LOCKED, which claims use;"
                    + " upgrade the server");
        }
    }

    /**
     * @return the dialect of the database behind {@code dataSource}
     * @throws IllegalArgumentException if it is not H2, PostgreSQL or MariaDB (MySQL included), or MariaDB through a
     *     driver other than MariaDB Connector/J
     * @throws IllegalStateException if it is an H2 older than {@value #H2_MINIMUM} or a MariaDB older than
     *     {@value #MARIADB_MINIMUM}
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
            String version = meta.getDatabaseProductVersion();
            if (name.equals("mariadb")) {
                requireMariaDbWithSkipLocked(meta.getDatabaseMajorVersion(), meta.getDatabaseMinorVersion(), version);
                return MARIADB;
            }
            throw unsupported(product, version);
        } catch (SQLException e) {
            throw new RepositoryException("Cannot open a connection to detect the database: " + e.getMessage(), e);
        }
    }

    /** @return the refusal of a database prorch-jdbc does not support, naming those it does */
    static IllegalArgumentException unsupported(String product, String version) {
        String supported = "prorch-jdbc supports H2, PostgreSQL and MariaDB " + MARIADB_MINIMUM + "+";
        if (version != null && version.toLowerCase(Locale.ROOT).contains("mariadb")) {
            // MySQL Connector/J reports a MariaDB server as "MySQL"; only MariaDB's own driver is tested
            return new IllegalArgumentException(supported + ", and MariaDB through its own driver: this connection"
                    + " reaches MariaDB " + version + " through a " + product + " driver; use"
                    + " org.mariadb.jdbc:mariadb-java-client and a jdbc:mariadb:// URL");
        }
        if (product.toLowerCase(Locale.ROOT).contains("mysql")) {
            return new IllegalArgumentException(supported + ", not MySQL (" + version + "): MySQL is untested, and"
                    + " the MariaDB tables rely on MariaDB's collations; implement IRepository for it, or ask for it"
                    + " in an issue");
        }
        return new IllegalArgumentException(supported + ", not " + product + " " + version
                + "; implement IRepository for it, or ask for it in an issue");
    }
}
