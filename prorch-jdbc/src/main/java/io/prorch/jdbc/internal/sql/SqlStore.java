package io.prorch.jdbc.internal.sql;

import io.prorch.PipelineCounts;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.jdbc.internal.json.JsonCodec;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.ClaimedPipeline;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RecordRejectedException;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The SQL behind {@code JdbcRepository}: each operation one short transaction (or one statement in autocommit mode),
 * every statement prepared with positional parameters. The per-transition path (inserts, updates, gets, claims) is
 * plain JDBC on a borrowed connection; the reads off that path (searches, the clock) use JDBI's fluent API. What differs between pipelines and steps
 * (and signals) is in their {@link Rows}; this class runs the operations, names them, and turns failures into the repository's
 * exceptions.
 */
public final class SqlStore {
    /**
     * SQLState classes of a write refused for its data, which fails again if retried: 22 (data exception: a value
     * too long, out of range, or not encodable, such as a NUL character in PostgreSQL text), 23 (integrity
     * constraint violation: not null, check, foreign key; its unique violation is a duplicate instead) and 54
     * (program limit exceeded, PostgreSQL: a value or index row too large, JSON nested too deep).
     */
    private static final List<String> REFUSED_FOR_DATA = List.of("22", "23", "54");
    private static final int IN_LIST_CHUNK = 1000;
    /**
     * Up to this many records, a PostgreSQL insert is one statement: a pipeline and its steps, or a group of
     * concurrent starts (the engine's {@code StartGroups} writes at most 256 records at once); about 15 parameters a
     * row keeps it far below the driver's limit of parameters.
     */
    private static final int SINGLE_STATEMENT_INSERT = 256;

    private final Dialect dialect;
    private final Tables names;
    private final JsonCodec json;
    private final Map<Model<?>, Rows<?>> byModel;
    private final Writes writes;
    private final Transactions tx;
    private final Claims claims;
    private final Counts counts;
    private final Purge purge;

    private SqlStore(Transactions tx, Dialect dialect, Tables names, JsonCodec json) {
        PipelineRows pipelines = new PipelineRows(names, dialect, json);
        StepRows steps = new StepRows(names, dialect, json);
        SignalRows signals = new SignalRows(names, dialect, json);
        HistoryRows history = new HistoryRows(names, dialect, json);
        this.dialect = dialect;
        this.names = names;
        this.json = json;
        this.byModel = Map.of(Model.PIPELINE, pipelines, Model.STEP, steps, Model.SIGNAL, signals,
                Model.HISTORY, history);
        this.writes = new Writes(pipelines, steps, signals, history,
                dialect == Dialect.POSTGRESQL ? names.signalChannel() : null);
        this.tx = tx;
        this.claims = new Claims(dialect, names, pipelines, tx);
        this.counts = new Counts(dialect, names);
        this.purge = new Purge(dialect, names);
    }

    /**
     * @param dataSource where connections come from, one per operation
     * @param hint how to create missing tables, for error messages
     * @param timeoutMillis the network timeout of each borrowed connection while prorch holds it, or 0 for none
     *     (a warning is logged if the driver has none either)
     */
    public static SqlStore pooled(DataSource dataSource, Dialect dialect, Tables tables, JsonCodec json, String hint,
                                  int timeoutMillis) {
        if (dialect != Dialect.H2) {
            Transactions.warnIfUnbounded(dataSource, timeoutMillis);
        }
        return new SqlStore(Transactions.pooled(dataSource, hint, timeoutMillis), dialect, tables, json);
    }

    /** Like {@link #pooled(DataSource, Dialect, Tables, JsonCodec, String, int)}, on the connections of {@code jdbi}. */
    public static SqlStore pooled(Jdbi jdbi, DataSource connections, Dialect dialect, Tables tables, JsonCodec json,
                                  String hint, int timeoutMillis) {
        if (dialect != Dialect.H2) {
            Transactions.warnIfUnbounded(connections, timeoutMillis);
        }
        return new SqlStore(Transactions.pooled(jdbi, hint, timeoutMillis), dialect, tables, json);
    }

    /** Like {@link #using(Connection)}, on the handle's connection and, for reads off the hot path, the handle. */
    public SqlStore using(Handle handle) {
        return new SqlStore(tx.using(handle), dialect, names, json);
    }

    /**
     * @return a store with the same tables and settings that works inside the caller's transaction on
     *     {@code connection}, and never ends it
     */
    public SqlStore using(Connection connection) {
        return new SqlStore(tx.using(connection), dialect, names, json);
    }

    /**
     * Checks what the tables' columns can hold, before anything is written.
     *
     * @throws RecordRejectedException if a name, step name, claim owner or idempotency key is too long
     */
    public void check(StoredRecord record) {
        byModel.get(Model.of(record)).check(record);
    }

    /** @return the database server's current time */
    public Instant currentTime() {
        return tx.query("reading the database's clock", h -> h.createQuery(dialect.currentTimeQuery())
                .map((rs, ctx) -> Arguments.instant(rs, 1, dialect)).one());
    }

    /** @return the record with {@code id}, if stored */
    public <R extends StoredRecord> Optional<R> get(Model<R> model, UUID id) {
        Rows<R> rows = rows(model);
        return tx.runSingle("get of " + model.singular() + " " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(rows.select + " WHERE uuid = ?")) {
                ps.setObject(1, id);
                List<R> found = rows.list(ps);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    /**
     * Inserts {@code records} in one transaction.
     *
     * @throws DuplicateRecordException if an id or idempotency key is taken
     * @throws RecordRejectedException if the database refused the data; nothing was written
     */
    public void insert(List<? extends StoredRecord> records) {
        String operation = records.size() == 1 ? "save of " + describe(records.get(0))
                : "saveAll of " + records.size() + " records";
        encodeFirstInCallersTransaction(records);
        try {
            if (dialect == Dialect.POSTGRESQL && records.size() <= SINGLE_STATEMENT_INSERT) {
                tx.runSingle(operation, c -> writes.insertInOneStatement(c, records));
            } else if (records.size() <= SINGLE_STATEMENT_INSERT) {
                tx.run(operation, c -> writes.insertMultiRow(c, records));
            } else {
                tx.run(operation, c -> writes.insertBatches(c, records));
            }
        } catch (RepositoryException e) {
            if (dialect.uniqueViolation(e.getCause())) {
                throw duplicate(records, e);
            }
            throw refusedForData(operation, e);
        }
    }

    /**
     * Updates {@code records} in one transaction, each only if its version is the stored one; all or nothing. History
     * records among them are inserted, in the same transaction.
     *
     * @throws VersionConflictException if a stored version differed
     * @throws DuplicateRecordException if an idempotency key is taken
     * @throws RecordRejectedException if the database refused the data; nothing was written
     */
    public void update(List<? extends StoredRecord> records) {
        String operation = records.size() == 1 ? "update of " + describe(records.get(0))
                : "updateAll of " + records.size() + " records";
        encodeFirstInCallersTransaction(records);
        try {
            tx.run(operation, c -> writes.updateAndAppend(c, records));
        } catch (RepositoryException e) {
            if (e instanceof VersionConflictException || e instanceof RecordRejectedException) {
                throw e;
            }
            if (dialect.uniqueViolation(e.getCause())) {
                throw duplicate(records, e);
            }
            throw refusedForData(operation, e);
        }
    }

    /**
     * @return a {@link RecordRejectedException} in place of {@code e} if the database refused the write for its data
     *     (see {@link #REFUSED_FOR_DATA}), else {@code e}
     */
    private static RepositoryException refusedForData(String operation, RepositoryException e) {
        String state = e instanceof RecordRejectedException ? null : Transactions.sqlState(e.getCause());
        if (state == null || state.length() != 5 || !REFUSED_FOR_DATA.contains(state.substring(0, 2))) {
            return e;
        }
        return new RecordRejectedException(operation + " was refused by the database for its data (SQLState " + state
                + "): " + Transactions.rootMessage(e) + "; writing it again fails again, so change the record", e.getCause());
    }

    /**
     * Where a write of several statements joins the caller's transaction, which is not rolled back here, encodes
     * every record's metadata before the first statement, so that one refused for its size leaves nothing written.
     * (In transactions of its own, a refusal rolls back whatever went before it.)
     */
    private void encodeFirstInCallersTransaction(List<? extends StoredRecord> records) {
        if (tx.joinsCallers() && records.size() > 1) {
            for (StoredRecord record : records) {
                json.metadata(record.metadata(), describe(record));
            }
        }
    }

    /** @return the matches of {@code filter} in the model's search order */
    public <R extends StoredRecord> List<R> search(Model<R> model, SearchFilter filter) {
        Rows<R> rows = rows(model);
        Search search = new Search(rows, filter);
        return tx.query("search of " + model, h -> search.bind(h.createQuery(search.sql))
                .map((rs, ctx) -> rows.read(rs)).list());
    }

    /** @return the stored records among {@code ids}, in the order of {@code ids} */
    public <R extends StoredRecord> List<R> getAll(Model<R> model, Collection<UUID> ids) {
        Rows<R> rows = rows(model);
        List<UUID> all = List.copyOf(ids);
        Map<UUID, R> found = new HashMap<>();
        for (int from = 0; from < all.size(); from += IN_LIST_CHUNK) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST_CHUNK));
            String sql = rows.select + " WHERE uuid " + dialect.uuidIn(chunk.size());
            // one array parameter: the same statement for any number of ids, prepared once per connection
            tx.runSingle("getAll of " + chunk.size() + " " + model, c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    dialect.setUuids(c, ps, 1, chunk.toArray(new UUID[0]));
                    rows.list(ps).forEach(r -> found.put(r.id(), r));
                }
                return null;
            });
        }
        List<R> ordered = new ArrayList<>(found.size());
        for (UUID id : all) {
            R record = found.get(id);
            if (record != null) {
                ordered.add(record);
            }
        }
        return ordered;
    }

    /** @return the pipelines counted by name and status; see {@link Counts} */
    public PipelineCounts countPipelines() {
        return counts.count(tx);
    }

    /** @return the ids of the ended pipelines among {@code ids} deleted with their rows; see {@link Purge} */
    public List<UUID> purge(Collection<UUID> ids, Instant endedBefore) {
        List<UUID> all = List.copyOf(ids);
        return all.isEmpty() ? List.of()
                : tx.run("purge of " + all.size() + " pipeline(s)", c -> purge.purge(c, all, endedBefore));
    }

    /** Claims due pipelines, with their due times before the claim; see {@link Claims}. */
    public List<ClaimedPipeline> claimDue(ClaimRequest request) {
        return claims.claimDue(request);
    }

    @SuppressWarnings("unchecked") // the map holds each model's own Rows
    private <R extends StoredRecord> Rows<R> rows(Model<R> model) {
        return (Rows<R>) byModel.get(model);
    }

    /** After a unique violation: find which record was already there, by id or by idempotency key. */
    private DuplicateRecordException duplicate(List<? extends StoredRecord> records, RepositoryException cause) {
        for (StoredRecord record : records) {
            Rows<?> rows = byModel.get(Model.of(record));
            Model<?> model = rows.model;
            try {
                if (get(model, record.id()).isPresent()) {
                    return withCause(new DuplicateRecordException(model, record.id(), "id"), cause);
                }
                String key = rows.idempotencyKeyOf(record);
                if (key != null) {
                    Optional<UUID> holder = search(model, SearchFilter.all()
                            .where(SearchField.IDEMPOTENCY_KEY, key).limit(1)).stream()
                            .map(StoredRecord::id).findFirst();
                    if (holder.isPresent() && !holder.get().equals(record.id())) {
                        return withCause(new DuplicateRecordException(model, record.id(),
                                "idempotency key \"" + key + "\""), cause);
                    }
                }
            } catch (RepositoryException e) {
                break;
            }
        }
        StoredRecord first = records.get(0);
        return withCause(new DuplicateRecordException(Model.of(first), first.id(),
                "id or idempotency key (or that of another record in the same call)"), cause);
    }

    private static DuplicateRecordException withCause(DuplicateRecordException e, Throwable cause) {
        e.initCause(cause);
        return e;
    }

    private static String describe(StoredRecord record) {
        return Model.of(record).singular() + " " + record.id();
    }
}
