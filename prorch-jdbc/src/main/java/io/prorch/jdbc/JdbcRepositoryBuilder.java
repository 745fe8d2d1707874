package io.prorch.jdbc;

import static io.prorch.jdbc.JdbcRepository.DEFAULT_MAX_METADATA_BYTES;
import static io.prorch.jdbc.JdbcRepository.DEFAULT_STATEMENT_TIMEOUT;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prorch.jdbc.internal.sql.Tables;
import java.time.Duration;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Options of a {@link JdbcRepository}, from {@link JdbcRepository#builder()}. Not thread-safe.
 */
public final class JdbcRepositoryBuilder {
    DataSource dataSource;
    Jdbi jdbi;
    String schema;
    String prefix = "";
    boolean migrate = true;
    ObjectMapper objectMapper = new ObjectMapper();
    int maxMetadataBytes = DEFAULT_MAX_METADATA_BYTES;
    Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;

    JdbcRepositoryBuilder() {
    }

    /**
     * The database. Required. Migrating takes two of its connections at once (Flyway holds one while it works on
     * another), so a pool limited to one connection waits for its timeout and fails: migrate through a second
     * {@code DataSource} first and build this one with {@code migrate(false)}.
     *
     * @throws NullPointerException if {@code dataSource} is null
     */
    public JdbcRepositoryBuilder dataSource(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource");
        return this;
    }

    /**
     * The database, as a {@link Jdbi}: every connection is that of a handle it opens, so its connection factory,
     * handle listeners and cleanables apply. Either this or {@link #dataSource} is required, not both. Migrating
     * takes two of its connections at once, as {@link #dataSource} says.
     *
     * @throws NullPointerException if {@code jdbi} is null
     */
    public JdbcRepositoryBuilder jdbi(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        return this;
    }

    /**
     * The schema to keep prorch's tables in (created if missing). Default: the connection's current schema.
     *
     * @throws NullPointerException if {@code schema} is null
     * @throws IllegalArgumentException if it is not a plain SQL identifier (letters, digits, underscores)
     */
    public JdbcRepositoryBuilder schema(String schema) {
        this.schema = Tables.identifier(schema, "schema");
        return this;
    }

    /**
     * A prefix for prorch's table names, e.g. {@code "prorch_"} gives {@code prorch_pipelines}. Default: none.
     *
     * @throws NullPointerException if {@code prefix} is null
     * @throws IllegalArgumentException if it is not empty and not a plain SQL identifier
     */
    public JdbcRepositoryBuilder tablePrefix(String prefix) {
        requireNonNull(prefix, "tablePrefix");
        this.prefix = prefix.isEmpty() ? "" : Tables.identifier(prefix, "tablePrefix");
        return this;
    }

    /**
     * Whether to create and upgrade the tables on {@link #build()}. Default: true. Turn it off when a DBA applies
     * the SQL files in the jar ({@code io/prorch/jdbc/migration/<database>/}) by hand.
     */
    public JdbcRepositoryBuilder migrate(boolean migrate) {
        this.migrate = migrate;
        return this;
    }

    /**
     * The Jackson mapper metadata is written with (copied). Default: a plain {@code new ObjectMapper()}.
     *
     * @throws NullPointerException if {@code mapper} is null
     */
    public JdbcRepositoryBuilder objectMapper(ObjectMapper mapper) {
        this.objectMapper = requireNonNull(mapper, "objectMapper");
        return this;
    }

    /**
     * The largest metadata of one record (a signal's payload included), in bytes of its JSON; larger metadata is
     * refused before anything is written. Default: {@link JdbcRepository#DEFAULT_MAX_METADATA_BYTES}.
     *
     * @throws IllegalArgumentException if it is below 1024
     */
    public JdbcRepositoryBuilder maxMetadataBytes(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maxMetadataBytes must be at least 1024, but was " + bytes);
        }
        this.maxMetadataBytes = bytes;
        return this;
    }

    /**
     * The longest the repository waits for the database in one statement (or commit): the network timeout
     * ({@link java.sql.Connection#setNetworkTimeout}) of each connection while an operation holds it, set when it is
     * borrowed and restored before it goes back to the pool. A wait that runs out fails the operation with a
     * {@link io.prorch.repository.RepositoryException} and breaks the connection, which the pool evicts. Where the
     * driver's own timeout ({@code socketTimeout} on PostgreSQL) is shorter, it is kept. Must be longer than prorch's
     * slowest statement, which takes milliseconds. Default: {@link JdbcRepository#DEFAULT_STATEMENT_TIMEOUT}.
     * {@link Duration#ZERO} turns it off, leaving the driver's timeout (a warning is logged at build if there is none).
     * Migrations and
     * {@link JdbcRepository#using views on the caller's connection} are not bounded by it.
     *
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if it is negative or longer than {@code Integer.MAX_VALUE} milliseconds
     */
    public JdbcRepositoryBuilder statementTimeout(Duration timeout) {
        requireNonNull(timeout, "statementTimeout");
        if (timeout.isNegative() || timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("statementTimeout must be positive (or zero to turn it off) and at"
                    + " most " + Integer.MAX_VALUE + " ms, but was " + timeout);
        }
        // JDBC's timeouts count whole milliseconds, and 0 means none: round a positive fraction up
        this.statementTimeout = timeout.isZero() || timeout.toMillis() > 0 ? timeout : Duration.ofMillis(1);
        return this;
    }

    /**
     * Connects, detects the database and runs the migrations (unless turned off).
     *
     * @throws IllegalStateException if neither a data source nor a Jdbi was given, or both were
     * @throws IllegalArgumentException if the database is not PostgreSQL, MariaDB or H2
     * @throws io.prorch.repository.RepositoryException if the database cannot be reached or migrated
     */
    public JdbcRepository build() {
        if (dataSource == null && jdbi == null) {
            throw new IllegalStateException("JdbcRepository needs a database: call dataSource(..) or jdbi(..)"
                    + " before build()");
        }
        if (dataSource != null && jdbi != null) {
            throw new IllegalStateException("JdbcRepository takes its connections from one place, but both"
                    + " dataSource(..) and jdbi(..) were called: keep one (a Jdbi made with Jdbi.create(dataSource)"
                    + " reaches the same database)");
        }
        return new JdbcRepository(this);
    }
}
