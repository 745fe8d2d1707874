package io.prorch.jdbc;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.jdbc.internal.json.JsonCodec;
import io.prorch.jdbc.internal.sql.JdbiConnections;
import io.prorch.jdbc.internal.sql.Migrations;
import io.prorch.jdbc.internal.sql.SqlStore;
import io.prorch.jdbc.internal.sql.Tables;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RecordRejectedException;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StoredRecord;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * An {@link IRepository} on PostgreSQL, MariaDB (10.6+) or H2, through any {@link DataSource} (a pool such as
 * HikariCP, or a plain driver data source). Tables {@code pipelines}, {@code pipeline_steps} and
 * {@code pipeline_signals} (with an optional prefix or schema) are created and upgraded by Flyway, recorded in prorch's
 * own history table {@code prorch_schema_history}, so they never mix with the application's migrations. Metadata (and
 * a signal's payload) is stored as JSON ({@code jsonb} on PostgreSQL). MySQL is refused: it is untested.
 *
 * <pre>{@code
 * IRepository repository = JdbcRepository.create(dataSource);     // or create(jdbi)
 * IRepository custom = JdbcRepository.builder().dataSource(dataSource).schema("workflow").build();
 * }</pre>
 *
 * <p>Built from a {@link Jdbi}, every connection comes from that Jdbi ({@link Jdbi#open()}), so its connection
 * factory, handle listeners and cleanables apply; {@link #using(Handle)} joins a transaction open on one of its
 * handles. The per-transition statements are plain JDBC on the handle's connection (one handle per operation,
 * no statement objects of JDBI's); searches and the clock use JDBI's fluent API.
 *
 * <p>Every operation is one short transaction; {@link #update} is one conditional statement ({@code ... WHERE uuid = ?
 * AND version = ?}); {@link #updateAll} and {@link #saveAll} are all-or-nothing; {@link #claimDue} is one statement
 * with {@code FOR UPDATE SKIP LOCKED} on PostgreSQL (on MariaDB a locking read and an update, in one transaction).
 * Serialization failures and deadlocks are retried; other database failures throw {@link RepositoryException} naming
 * the operation. Thread-safe.
 *
 * <p>No call waits for the database forever: while an operation holds a connection, the connection's network timeout
 * is {@link Builder#statementTimeout} (30 s by default), so a network path that goes dark without a reset fails the
 * call with a {@link RepositoryException} within that time instead of blocking the orchestrator, and breaks the
 * connection, which the pool then replaces. Writes the database refuses for their data throw
 * {@link RecordRejectedException}; rows damaged by hand throw a {@link RepositoryException} naming the table, row and
 * column.
 */
public final class JdbcRepository implements IRepository {
    /** The default largest metadata of one record: 1 MiB of JSON. */
    public static final int DEFAULT_MAX_METADATA_BYTES = 1 << 20;
    /** The default longest wait for the database in one statement: 30 seconds. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    private final SqlStore store;
    private final Tables tables;
    private final OptionalInt connectionLimit;

    private JdbcRepository(Builder b) {
        DataSource connections = b.dataSource != null ? b.dataSource : new JdbiConnections(b.jdbi);
        this.connectionLimit = b.dataSource != null ? poolSize(b.dataSource) : OptionalInt.empty();
        Dialect dialect = Dialect.detect(connections);
        this.tables = new Tables(b.schema, b.prefix);
        if (b.migrate) {
            Migrations.run(connections, dialect, tables);
        }
        JsonCodec json = new JsonCodec(b.objectMapper, b.maxMetadataBytes);
        String hint = Migrations.hint(dialect, tables);
        int timeout = (int) b.statementTimeout.toMillis();
        this.store = b.dataSource != null ? SqlStore.pooled(b.dataSource, dialect, tables, json, hint, timeout)
                : SqlStore.pooled(b.jdbi, connections, dialect, tables, json, hint, timeout);
    }

    /** A view on the caller's handle: same tables and settings, no transactions of its own. */
    private JdbcRepository(JdbcRepository base, Handle handle) {
        this.tables = base.tables;
        this.store = base.store.using(handle);
        this.connectionLimit = OptionalInt.of(1);
    }

    /** A view on the caller's connection: same tables and settings, no transactions of its own. */
    private JdbcRepository(JdbcRepository base, Connection connection) {
        this.tables = base.tables;
        this.store = base.store.using(connection);
        this.connectionLimit = OptionalInt.of(1);
    }

    /** @return the pool's maximum size, read from pools that expose it (HikariCP's getMaximumPoolSize), if any */
    private static OptionalInt poolSize(DataSource dataSource) {
        try {
            Object size = dataSource.getClass().getMethod("getMaximumPoolSize").invoke(dataSource);
            return size instanceof Integer n && n > 0 ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return OptionalInt.empty();   // not a pool, or one that does not say
        }
    }

    /** @return the data source's pool size, if it is a pool that says (HikariCP does) */
    @Override
    public OptionalInt connectionLimit() {
        return connectionLimit;
    }

    /**
     * @return a repository on {@code dataSource} with the defaults: current schema, no table prefix, migrations run
     * @throws NullPointerException if {@code dataSource} is null
     * @throws IllegalArgumentException if the database is not PostgreSQL, MariaDB or H2
     * @throws RepositoryException if the database cannot be reached or migrated
     */
    public static JdbcRepository create(DataSource dataSource) {
        return builder().dataSource(dataSource).build();
    }

    /**
     * @return a repository on the connections of {@code jdbi}, with the defaults: current schema, no table prefix,
     *     migrations run (by Flyway, on connections of the Jdbi)
     * @throws NullPointerException if {@code jdbi} is null
     * @throws IllegalArgumentException if the database is not PostgreSQL, MariaDB or H2
     * @throws RepositoryException if the database cannot be reached or migrated
     */
    public static JdbcRepository create(Jdbi jdbi) {
        return builder().jdbi(jdbi).build();
    }

    /** @return a builder; one of {@link Builder#dataSource} and {@link Builder#jdbi} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a view of this repository that runs every operation on {@code connection}, inside whatever transaction
     * the caller has open on it. The view never commits, rolls back, closes the connection or changes its autocommit
     * mode, and does not retry: a failed statement may have aborted the caller's transaction (PostgreSQL does), and
     * only the caller can end it. Use it with {@code Starter.inTransaction} so that a pipeline exists if,
     * and only if, the caller's business transaction commits:
     *
     * <pre>{@code
     * try (Connection c = dataSource.getConnection()) {
     *     c.setAutoCommit(false);
     *     insertOrder(c, order);
     *     orchestrator.starter(Fulfilment.class).input(Map.of("order", order.id()))
     *             .inTransaction(repository.using(c)).start();
     *     c.commit();     // the pipeline becomes visible, and due, only now
     * }
     * }</pre>
     *
     * The connection must reach the same database (and see the same schema) as this repository's data source. The
     * view is as thread-safe as the connection, which is to say: use it from the thread that owns the transaction.
     * The view leaves the connection's network timeout alone ({@link Builder#statementTimeout} does not apply): set
     * your own on it, or the driver's {@code socketTimeout}.
     *
     * @param connection an open connection of the caller's, with autocommit on or off
     * @return a repository bound to {@code connection}; valid while the connection is open
     * @throws NullPointerException if {@code connection} is null
     */
    public IRepository using(Connection connection) {
        requireNonNull(connection, "connection");
        return new JdbcRepository(this, connection);
    }

    /**
     * Returns a view of this repository that runs every operation inside whatever transaction the caller has open on
     * {@code handle}, as {@link #using(Connection)} does on a connection: it never commits, rolls back or closes the
     * handle, and does not retry. Use it with {@code Starter.inTransaction} (or {@code Signaller.inTransaction}):
     *
     * <pre>{@code
     * jdbi.useTransaction(handle -> {
     *     handle.execute("INSERT INTO orders (id) VALUES (?)", order.id());
     *     orchestrator.starter(Fulfilment.class).input(Map.of("order", order.id()))
     *             .inTransaction(repository.using(handle)).start();
     * });     // the pipeline exists if, and only if, this transaction commits
     * }</pre>
     *
     * The handle must reach the same database (and see the same schema) as this repository. Use the view from the
     * thread that owns the handle, while the handle is open.
     *
     * @param handle an open handle of the caller's, in a transaction or not
     * @return a repository bound to {@code handle}; valid while the handle is open
     * @throws NullPointerException if {@code handle} is null
     * @throws IllegalArgumentException if {@code handle} is closed
     */
    public IRepository using(Handle handle) {
        requireNonNull(handle, "handle");
        if (handle.isClosed()) {
            throw new IllegalArgumentException("JdbcRepository.using(handle) needs an open handle, but it was closed;"
                    + " call it inside jdbi.useTransaction(..) or jdbi.useHandle(..), before the handle closes");
        }
        return new JdbcRepository(this, handle);
    }

    /** @return the qualified name of the pipelines table, e.g. {@code workflow.pipelines} */
    public String pipelinesTable() {
        return tables.pipelines();
    }

    /** @return the qualified name of the steps table, e.g. {@code workflow.pipeline_steps} */
    public String stepsTable() {
        return tables.steps();
    }

    /** @return the qualified name of the signals table, e.g. {@code workflow.pipeline_signals} */
    public String signalsTable() {
        return tables.signals();
    }

    /**
     * @throws RepositoryException if the row cannot be read (damaged by hand): the message names the table, the id,
     *     the column and its value, and the cause is what reading it threw
     */
    @Override
    public <R extends StoredRecord> Optional<R> get(Model<R> model, UUID id) {
        requireNonNull(model, "model");
        requireNonNull(id, "id");
        return store.get(model, id);
    }

    /**
     * @throws RecordRejectedException if the record holds what the tables cannot: metadata over
     *     {@link Builder#maxMetadataBytes}, a name longer than 200 characters, a value the database cannot encode or
     *     that breaks one of its constraints; nothing was written
     */
    @Override
    public <R extends StoredRecord> R save(R record) {
        checkRecord(record);
        store.insert(List.of(record));
        return record;
    }

    /** @throws RecordRejectedException as {@link #save} does; nothing was written */
    @Override
    public <R extends StoredRecord> R update(R record) {
        checkRecord(record);
        store.update(List.of(record));
        @SuppressWarnings("unchecked")
        R updated = (R) record.withVersion(record.version() + 1);
        return updated;
    }

    /** @throws RepositoryException if a matching row cannot be read, as {@link #get} says */
    @Override
    public <R extends StoredRecord> List<R> search(Model<R> model, SearchFilter filter) {
        requireNonNull(model, "model");
        requireNonNull(filter, "filter");
        filter.checkApplicableTo(model);
        return store.search(model, filter);
    }

    /** @return true: {@link #saveAll} and {@link #updateAll} are one transaction each */
    @Override
    public boolean atomicBatches() {
        return true;
    }

    /** @throws RecordRejectedException if any record is refused as {@link #save} does; nothing was written */
    @Override
    public List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
        requireNonNull(records, "records");
        records.forEach(this::checkRecord);
        if (records.isEmpty()) {
            return List.of();
        }
        store.update(records);
        List<StoredRecord> updated = new ArrayList<>(records.size());
        records.forEach(r -> updated.add(r.withVersion(r.version() + 1)));
        return updated;
    }

    /** @throws RecordRejectedException if any record is refused as {@link #save} does; nothing was written */
    @Override
    public List<StoredRecord> saveAll(List<? extends StoredRecord> records) {
        requireNonNull(records, "records");
        records.forEach(this::checkRecord);
        if (records.isEmpty()) {
            return List.of();
        }
        store.insert(records);
        return List.copyOf(records);
    }

    @Override
    public <R extends StoredRecord> List<R> getAll(Model<R> model, Collection<UUID> ids) {
        requireNonNull(model, "model");
        requireNonNull(ids, "ids");
        ids.forEach(id -> requireNonNull(id, "ids element"));
        return ids.isEmpty() ? List.of() : store.getAll(model, ids);
    }

    /**
     * Claims due pipelines as {@link IRepository#claimDue} says. A due row that cannot be read (damaged by hand) does
     * not stop the others: it is claimed too, which sets it aside for the claim's duration, but not returned, and a
     * warning names its table, id, column and value (at most once per 10 minutes per row). Rows whose status is none
     * that prorch writes are never due; they are reported in a warning as often.
     */
    @Override
    public List<PipelineRecord> claimDue(ClaimRequest request) {
        requireNonNull(request, "request");
        return store.claimDue(request);
    }

    /**
     * @return the database server's clock, which orchestrators follow for claims and due times (see
     *     {@code OrchestratorConfig.Builder.storeClock})
     * @throws RepositoryException if the database cannot be reached
     */
    @Override
    public Optional<Instant> currentTime() {
        return Optional.of(store.currentTime());
    }

    private void checkRecord(StoredRecord record) {
        requireNonNull(record, "record");
        store.check(record);
    }

    /** Options of a {@link JdbcRepository}. Not thread-safe. */
    public static final class Builder {
        private DataSource dataSource;
        private Jdbi jdbi;
        private String schema;
        private String prefix = "";
        private boolean migrate = true;
        private ObjectMapper objectMapper = new ObjectMapper();
        private int maxMetadataBytes = DEFAULT_MAX_METADATA_BYTES;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;

        private Builder() {
        }

        /**
         * The database. Required. Migrating takes two of its connections at once (Flyway holds one while it works on
         * another), so a pool limited to one connection waits for its timeout and fails: migrate through a second
         * {@code DataSource} first and build this one with {@code migrate(false)}.
         *
         * @throws NullPointerException if {@code dataSource} is null
         */
        public Builder dataSource(DataSource dataSource) {
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
        public Builder jdbi(Jdbi jdbi) {
            this.jdbi = requireNonNull(jdbi, "jdbi");
            return this;
        }

        /**
         * The schema to keep prorch's tables in (created if missing). Default: the connection's current schema.
         *
         * @throws NullPointerException if {@code schema} is null
         * @throws IllegalArgumentException if it is not a plain SQL identifier (letters, digits, underscores)
         */
        public Builder schema(String schema) {
            this.schema = Tables.identifier(schema, "schema");
            return this;
        }

        /**
         * A prefix for prorch's table names, e.g. {@code "prorch_"} gives {@code prorch_pipelines}. Default: none.
         *
         * @throws NullPointerException if {@code prefix} is null
         * @throws IllegalArgumentException if it is not empty and not a plain SQL identifier
         */
        public Builder tablePrefix(String prefix) {
            requireNonNull(prefix, "tablePrefix");
            this.prefix = prefix.isEmpty() ? "" : Tables.identifier(prefix, "tablePrefix");
            return this;
        }

        /**
         * Whether to create and upgrade the tables on {@link #build()}. Default: true. Turn it off when a DBA applies
         * the SQL files in the jar ({@code io/prorch/jdbc/migration/<database>/}) by hand.
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * The Jackson mapper metadata is written with (copied). Default: a plain {@code new ObjectMapper()}.
         *
         * @throws NullPointerException if {@code mapper} is null
         */
        public Builder objectMapper(ObjectMapper mapper) {
            this.objectMapper = requireNonNull(mapper, "objectMapper");
            return this;
        }

        /**
         * The largest metadata of one record (a signal's payload included), in bytes of its JSON; larger metadata is
         * refused before anything is written. Default: {@link #DEFAULT_MAX_METADATA_BYTES}.
         *
         * @throws IllegalArgumentException if it is below 1024
         */
        public Builder maxMetadataBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxMetadataBytes must be at least 1024, but was " + bytes);
            }
            this.maxMetadataBytes = bytes;
            return this;
        }

        /**
         * The longest the repository waits for the database in one statement (or commit): the network timeout
         * ({@link Connection#setNetworkTimeout}) of each connection while an operation holds it, set when it is
         * borrowed and restored before it goes back to the pool. A wait that runs out fails the operation with a
         * {@link RepositoryException} and breaks the connection, which the pool evicts. Where the driver's own
         * timeout ({@code socketTimeout} on PostgreSQL) is shorter, it is kept. Must be longer than prorch's slowest
         * statement, which takes milliseconds. Default: {@link #DEFAULT_STATEMENT_TIMEOUT}. {@link Duration#ZERO}
         * turns it off, leaving the driver's timeout (a warning is logged at build if there is none). Migrations and
         * {@link JdbcRepository#using views on the caller's connection} are not bounded by it.
         *
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if it is negative or longer than {@code Integer.MAX_VALUE} milliseconds
         */
        public Builder statementTimeout(Duration timeout) {
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
         * @throws RepositoryException if the database cannot be reached or migrated
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
}
