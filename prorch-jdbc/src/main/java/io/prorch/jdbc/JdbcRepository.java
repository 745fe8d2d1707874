package io.prorch.jdbc;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prorch.PipelineCounts;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.jdbc.internal.json.JsonCodec;
import io.prorch.jdbc.internal.sql.JdbiConnections;
import io.prorch.jdbc.internal.sql.Migrations;
import io.prorch.jdbc.internal.sql.SignalNotices;
import io.prorch.jdbc.internal.sql.SqlStore;
import io.prorch.jdbc.internal.sql.Tables;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.HistoryRecord;
import io.prorch.repository.ClaimedPipeline;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RecordRejectedException;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.SignalNotice;
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
import java.util.function.Consumer;
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
 * is {@link JdbcRepositoryBuilder#statementTimeout} (30 s by default), so a network path that goes dark without a reset
 * fails the call with a {@link RepositoryException} within that time instead of blocking the orchestrator, and breaks
 * the connection, which the pool then replaces. Writes the database refuses for their data throw
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
    /** Where a PostgreSQL store's listening connection comes from; null elsewhere and on a caller's transaction. */
    private final DataSource listenOn;

    JdbcRepository(JdbcRepositoryBuilder b) {
        DataSource connections = b.dataSource != null ? b.dataSource : new JdbiConnections(b.jdbi);
        this.connectionLimit = b.dataSource != null ? poolSize(b.dataSource) : OptionalInt.empty();
        Dialect dialect = Dialect.detect(connections);
        this.tables = new Tables(b.schema, b.prefix);
        this.listenOn = dialect == Dialect.POSTGRESQL ? connections : null;
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
        this.listenOn = null;
    }

    /** A view on the caller's connection: same tables and settings, no transactions of its own. */
    private JdbcRepository(JdbcRepository base, Connection connection) {
        this.tables = base.tables;
        this.store = base.store.using(connection);
        this.connectionLimit = OptionalInt.of(1);
        this.listenOn = null;
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

    /**
     * @return a builder; one of {@link JdbcRepositoryBuilder#dataSource} and {@link JdbcRepositoryBuilder#jdbi}
     *     is required
     */
    public static JdbcRepositoryBuilder builder() {
        return new JdbcRepositoryBuilder();
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
     * The view leaves the connection's network timeout alone ({@link JdbcRepositoryBuilder#statementTimeout} does not
     * apply): set
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
     *     {@link JdbcRepositoryBuilder#maxMetadataBytes}, a name longer than 200 characters, a value the database
     *     cannot encode or
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
        if (record instanceof HistoryRecord) {
            throw new IllegalArgumentException("History entry " + record.id() + " cannot be updated: history is"
                    + " append-only (save it, or pass it to updateAll with the transition it records)");
        }
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
        // history entries are inserted, and come back as they were
        records.forEach(r -> updated.add(r instanceof HistoryRecord ? r : r.withVersion(r.version() + 1)));
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
    /** Deletes in one transaction; more than 1,000 ids are refused (retention passes a few hundred). */
    @Override
    public List<UUID> purge(Collection<UUID> pipelineIds, Instant endedBefore) {
        requireNonNull(pipelineIds, "pipelineIds");
        requireNonNull(endedBefore, "endedBefore");
        pipelineIds.forEach(id -> requireNonNull(id, "pipelineIds element"));
        if (pipelineIds.size() > 1000) {
            throw new IllegalArgumentException("purge takes at most 1000 ids at a time, but was given "
                    + pipelineIds.size() + "; split them into batches");
        }
        return store.purge(pipelineIds, endedBefore);
    }

    /** Counts with one {@code GROUP BY}; on PostgreSQL, finished pipelines of a large table are estimated. */
    @Override
    public PipelineCounts countPipelines() {
        return store.countPipelines();
    }

    @Override
    public List<PipelineRecord> claimDue(ClaimRequest request) {
        requireNonNull(request, "request");
        return store.claimDue(request).stream().map(ClaimedPipeline::pipeline).toList();
    }

    /** Claims as {@link #claimDue} does, in the same statements, which also return the former due times. */
    @Override
    public List<ClaimedPipeline> claimDueWithDueTimes(ClaimRequest request) {
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

    /**
     * On PostgreSQL, tells {@code onSignal} of every signal saved through any {@code JdbcRepository} on these tables,
     * by any process, as soon as it commits: each save of a signal sends {@code NOTIFY} in its own transaction (channel
     * {@code prorch_signal}, with a schema or prefix {@code prorch_signal_<hash>}; payload the pipeline id, a colon and
     * the signal's name), and this
     * keeps one connection of the data source {@code LISTEN}ing on a daemon thread, replaced after a backoff if it
     * breaks. Closing the result gives it back. Elsewhere (H2, MariaDB, a caller's transaction) nothing is delivered.
     *
     * @throws NullPointerException if {@code onSignal} is null
     */
    @Override
    public AutoCloseable subscribe(Consumer<SignalNotice> onSignal) {
        requireNonNull(onSignal, "onSignal");
        return listenOn == null ? () -> { } : SignalNotices.start(listenOn, tables.signalChannel(), onSignal);
    }

    private void checkRecord(StoredRecord record) {
        requireNonNull(record, "record");
        store.check(record);
    }
}
