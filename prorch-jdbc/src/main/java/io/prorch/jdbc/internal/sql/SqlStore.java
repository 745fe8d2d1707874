package io.prorch.jdbc.internal.sql;

import io.prorch.Status;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.jdbc.internal.json.JsonCodec;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SQL behind {@code JdbcRepository}: each operation one short transaction. */
public final class SqlStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqlStore.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int IN_LIST_CHUNK = 1000;
    /** Up to this many records, a PostgreSQL insert is one statement (a pipeline and its steps, typically). */
    private static final int SINGLE_STATEMENT_INSERT = 32;

    private final Dialect dialect;
    private final Tables tables;
    private final PipelineRows pipelines;
    private final StepRows steps;
    private final Transactions tx;

    /**
     * @param jdbi the connection source
     * @param dialect the database's dialect
     * @param tables the table names
     * @param json the metadata codec
     * @param hint how to create missing tables, for error messages
     * @param callersTransaction true when {@code jdbi} runs on the caller's connection, inside its transaction
     */
    public SqlStore(Jdbi jdbi, Dialect dialect, Tables tables, JsonCodec json, String hint,
                    boolean callersTransaction) {
        this.dialect = dialect;
        this.tables = tables;
        this.pipelines = new PipelineRows(tables, dialect, json);
        this.steps = new StepRows(tables, dialect, json);
        jdbi.registerRowMapper(PipelineRecord.class, (rs, ctx) -> pipelines.map(rs));
        jdbi.registerRowMapper(StepRecord.class, (rs, ctx) -> steps.map(rs));
        this.tx = new Transactions(jdbi, hint, callersTransaction);
    }

    /** @return the database server's current time */
    public Instant currentTime() {
        return tx.runSingle("reading the database's clock", h -> h.createQuery(dialect.currentTimeQuery())
                .map((rs, ctx) -> rs.getObject(1, OffsetDateTime.class).toInstant()).one());
    }

    /** @return the record with {@code id}, if stored */
    public <R extends StoredRecord> Optional<R> get(Model<R> model, UUID id) {
        return tx.runSingle("get of " + model.singular() + " " + id, h ->
                select(h, model, " WHERE uuid = :uuid").bind("uuid", id).mapTo(model.recordType()).findOne());
    }

    /** Inserts {@code records} in one transaction. */
    public void insert(List<? extends StoredRecord> records) {
        String operation = records.size() == 1 ? "save of " + describe(records.get(0))
                : "saveAll of " + records.size() + " records";
        try {
            if (dialect == Dialect.POSTGRESQL && records.size() <= SINGLE_STATEMENT_INSERT) {
                tx.runSingle(operation, h -> singleStatementInsert(h, records));
            } else {
                tx.run(operation, h -> {
                    batch(h, records, PipelineRecord.class, true);
                    batch(h, records, StepRecord.class, true);
                    return null;
                });
            }
        } catch (RepositoryException e) {
            if (UNIQUE_VIOLATION.equals(Transactions.sqlState(e.getCause()))) {
                throw duplicate(records, e);
            }
            throw e;
        }
    }

    /**
     * Inserts a new pipeline and its steps in one round trip: the steps' multi-row INSERT runs as a data-modifying
     * common table expression of the pipeline's INSERT (PostgreSQL), so a start costs one statement and its commit.
     */
    private Void singleStatementInsert(Handle h, List<? extends StoredRecord> records) throws SQLException {
        List<StepRecord> stepList = new ArrayList<>();
        List<PipelineRecord> pipelineList = new ArrayList<>();
        for (StoredRecord record : records) {
            if (record instanceof PipelineRecord p) {
                pipelineList.add(p);
            } else {
                stepList.add((StepRecord) record);
            }
        }
        String stepInsert = steps.insertInto + String.join(", ",
                java.util.Collections.nCopies(stepList.size(), steps.valuesPositional));
        String pipelineInsert = pipelines.insertInto + String.join(", ",
                java.util.Collections.nCopies(pipelineList.size(), pipelines.valuesPositional));
        String sql = stepList.isEmpty() ? pipelineInsert
                : pipelineList.isEmpty() ? stepInsert
                : "WITH inserted_steps AS (" + stepInsert + ") " + pipelineInsert;
        // plain JDBC on the hot path: the parameters in the order they appear (the steps' CTE first)
        try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
            int index = 1;
            for (StepRecord step : stepList) {
                index = steps.bindValues(ps, index, step);
            }
            for (PipelineRecord pipeline : pipelineList) {
                index = pipelines.bindValues(ps, index, pipeline);
            }
            ps.executeUpdate();
        }
        return null;
    }

    /** Updates {@code records} in one transaction, each only if its version is the stored one; all or nothing. */
    public void update(List<? extends StoredRecord> records) {
        String operation = records.size() == 1 ? "update of " + describe(records.get(0))
                : "updateAll of " + records.size() + " records";
        try {
            tx.run(operation, h -> {
                updateRows(h, records, PipelineRecord.class, pipelines.arrayUpdate);
                updateRows(h, records, StepRecord.class, steps.arrayUpdate);
                return null;
            });
        } catch (RepositoryException e) {
            if (!(e instanceof VersionConflictException) && UNIQUE_VIOLATION.equals(Transactions.sqlState(e.getCause()))) {
                throw duplicate(records, e);
            }
            throw e;
        }
    }

    /** @return the matches of {@code filter} in the model's search order */
    public <R extends StoredRecord> List<R> search(Model<R> model, SearchFilter filter) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        filter.equalities().keySet().forEach(f -> where.append(" AND ").append(column(f)).append(" = :").append(f));
        if (filter.dueAtOrBefore() != null) {
            where.append(" AND due_at <= :due");
        }
        where.append(model == Model.PIPELINE ? " ORDER BY due_at ASC NULLS LAST" : " ORDER BY position");
        if (filter.limit() != SearchFilter.NO_LIMIT) {
            where.append(" LIMIT ").append(filter.limit());
        }
        return tx.runSingle("search of " + model, h -> {
            Query query = select(h, model, where.toString());
            filter.equalities().forEach((field, value) -> query.bind(field.name(),
                    value instanceof Status status ? status.value() : value));
            if (filter.dueAtOrBefore() != null) {
                query.bind("due", Arguments.instant(filter.dueAtOrBefore()));
            }
            return query.mapTo(model.recordType()).list();
        });
    }

    /** @return the stored records among {@code ids}, in the order of {@code ids} */
    public <R extends StoredRecord> List<R> getAll(Model<R> model, Collection<UUID> ids) {
        List<UUID> all = List.copyOf(ids);
        Map<UUID, R> found = new HashMap<>();
        String sql = (model == Model.PIPELINE ? pipelines.select : steps.select) + " WHERE uuid = ANY(?)";
        for (int from = 0; from < all.size(); from += IN_LIST_CHUNK) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST_CHUNK));
            // one array parameter: the same statement for any number of ids, prepared once per connection
            tx.runSingle("getAll of " + chunk.size() + " " + model, h -> {
                Connection connection = h.getConnection();
                try (PreparedStatement ps = connection.prepareStatement(sql)) {
                    dialect.setUuids(connection, ps, 1, chunk.toArray(new UUID[0]));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            R record = model.recordType().cast(model == Model.PIPELINE ? pipelines.map(rs)
                                    : steps.map(rs));
                            found.put(record.id(), record);
                        }
                    }
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

    /** A claimed (or claimable) row: its record, or null if the row cannot be read. */
    private record Candidate(UUID id, long version, PipelineRecord record) {
    }

    /** At most this many claim rounds in one call that turn up only unreadable rows. */
    private static final int UNREADABLE_ROUNDS = 8;

    /**
     * Claims due pipelines: one statement with {@code SKIP LOCKED} where the database has it. Unreadable rows (damaged
     * by hand) are claimed too, which moves them out of the way until their claim expires, but are not returned; if a
     * round claimed only such rows, it claims again, so that an empty result means nothing readable is due.
     */
    public List<PipelineRecord> claimDue(ClaimRequest request) {
        for (int round = 0; ; round++) {
            List<Candidate> claimed = dialect.skipLocked()
                    ? tx.run("claim of due pipelines", h -> claimSkippingLocked(h, request))
                    : tx.run("claim of due pipelines", h -> claimByVersion(h, request));
            List<PipelineRecord> readable = claimed.stream().map(Candidate::record).filter(Objects::nonNull).toList();
            if (!readable.isEmpty() || claimed.isEmpty() || round + 1 >= UNREADABLE_ROUNDS) {
                return readable;
            }
        }
    }

    /**
     * The PostgreSQL claim. It must read the due index in order and stop at the limit, however many pipelines are due:
     * on tables without statistics (freshly filled, autovacuum off) the planner otherwise picks a bitmap scan and a
     * sort that read every due row on every claim, 170 times slower with 100,000 due. No plan without a sort can
     * produce the order but that index scan, so sorting is ruled out for this transaction only.
     */
    private List<Candidate> claimSkippingLocked(Handle h, ClaimRequest request) throws SQLException {
        String table = tables.pipelines();
        try (Statement set = h.getConnection().createStatement()) {
            set.execute("SET LOCAL enable_sort = off");
        }
        try (PreparedStatement ps = h.getConnection().prepareStatement("UPDATE " + table + " SET claim_owner = ?,"
                + " claim_expires_at = ?, due_at = ?, updated_at = ?, version = version + 1 WHERE uuid IN (SELECT uuid"
                + " FROM " + table + " WHERE status = 'pending' AND due_at <= ? ORDER BY due_at LIMIT ?"
                + " FOR UPDATE SKIP LOCKED) RETURNING *")) {
            ps.setString(1, request.owner());
            Arguments.setInstant(ps, 2, request.until());
            Arguments.setInstant(ps, 3, request.until());
            Arguments.setInstant(ps, 4, request.now());
            Arguments.setInstant(ps, 5, request.now());
            ps.setInt(6, request.limit());
            List<Candidate> claimed = new ArrayList<>(request.limit());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(candidate(rs));
                }
            }
            return claimed;
        }
    }

    /**
     * Maps a row to a candidate whose record is null (with a warning naming it) if it cannot be read: one pipeline
     * whose row was damaged by hand must not stop every claim. Its row is left as it is, so an operator can repair it.
     */
    private Candidate candidate(ResultSet rs) throws SQLException {
        UUID id = rs.getObject("uuid", UUID.class);
        long version = rs.getLong("version");
        try {
            return new Candidate(id, version, pipelines.map(rs));
        } catch (RuntimeException e) {
            LOG.warn("prorch: pipeline {} cannot be read and is skipped until its row is repaired: {}", id,
                    e.getMessage());
            return new Candidate(id, version, null);
        }
    }

    /** Reads the due candidates, then claims each with a version-checked update; losers of a race are skipped. */
    private List<Candidate> claimByVersion(Handle h, ClaimRequest request) {
        List<Candidate> candidates = select(h, Model.PIPELINE,
                " WHERE status = 'pending' AND due_at <= :now ORDER BY due_at LIMIT " + request.limit())
                .bind("now", Arguments.instant(request.now())).map((rs, ctx) -> candidate(rs)).list();
        if (candidates.isEmpty()) {
            return candidates;
        }
        PreparedBatch batch = h.prepareBatch("UPDATE " + tables.pipelines() + " SET claim_owner = :owner,"
                + " claim_expires_at = :until, due_at = :until, updated_at = :now, version = version + 1"
                + " WHERE uuid = :uuid AND version = :version");
        for (Candidate c : candidates) {
            batch.bind("owner", request.owner()).bind("until", Arguments.instant(request.until()))
                    .bind("now", Arguments.instant(request.now())).bind("uuid", c.id()).bind("version", c.version())
                    .add();
        }
        int[] counts = batch.execute();
        List<Candidate> claimed = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 1) {
                Candidate c = candidates.get(i);
                PipelineRecord p = c.record();
                claimed.add(new Candidate(c.id(), c.version() + 1, p == null ? null
                        : p.withClaim(request.owner(), request.until()).withDueAt(request.until())
                        .withUpdatedAt(request.now()).withVersion(p.version() + 1)));
            }
        }
        return claimed;
    }

    private Query select(Handle h, Model<?> model, String where) {
        return h.createQuery((model == Model.PIPELINE ? pipelines.select : steps.select) + where);
    }

    /** Runs one JDBC batch over the records of {@code type}: inserts, or version-checked updates. */
    private <R extends StoredRecord> int[] batch(Handle h, List<? extends StoredRecord> records, Class<R> type,
                                                 boolean insert) throws SQLException {
        boolean pipeline = type == PipelineRecord.class;
        String sql = pipeline ? (insert ? pipelines.insertInto + pipelines.valuesPositional : pipelines.updatePositional)
                : (insert ? steps.insertInto + steps.valuesPositional : steps.updatePositional);
        PreparedStatement ps = null;
        try {
            int rows = 0;
            for (StoredRecord record : records) {
                if (!type.isInstance(record)) {
                    continue;
                }
                if (ps == null) {
                    ps = h.getConnection().prepareStatement(sql);
                }
                if (record instanceof PipelineRecord p) {
                    if (insert) {
                        pipelines.bindValues(ps, 1, p);
                    } else {
                        pipelines.bindUpdate(ps, p);
                    }
                } else if (insert) {
                    steps.bindValues(ps, 1, (StepRecord) record);
                } else {
                    steps.bindUpdate(ps, (StepRecord) record);
                }
                ps.addBatch();
                rows++;
            }
            return rows == 0 ? new int[0] : ps.executeBatch();
        } finally {
            if (ps != null) {
                ps.close();
            }
        }
    }

    /** Updates the records of {@code type}: in one statement where the dialect has one, else in a JDBC batch. */
    private <R extends StoredRecord> void updateRows(Handle h, List<? extends StoredRecord> records, Class<R> type,
                                                     ArrayUpdate<R> arrays) throws SQLException {
        List<R> rows = new ArrayList<>(records.size());
        for (StoredRecord record : records) {
            if (type.isInstance(record)) {
                rows.add(type.cast(record));
            }
        }
        if (rows.isEmpty() || arrays != null && arrays.update(h.getConnection(), rows)) {
            return;
        }
        checkCounts(rows, type, batch(h, rows, type, false));
    }

    private static <R extends StoredRecord> void checkCounts(List<? extends StoredRecord> records, Class<R> type,
                                                            int[] counts) {
        int i = 0;
        for (StoredRecord record : records) {
            if (type.isInstance(record)) {
                if (counts[i++] != 1) {
                    throw new VersionConflictException(Model.of(record), record.id(), record.version());
                }
            }
        }
    }

    /** After a unique violation: find which record was already there, by id or by idempotency key. */
    private DuplicateRecordException duplicate(List<? extends StoredRecord> records, RepositoryException cause) {
        for (StoredRecord record : records) {
            Model<?> model = Model.of(record);
            try {
                if (get(model, record.id()).isPresent()) {
                    return withCause(new DuplicateRecordException(model, record.id(), "id"), cause);
                }
                if (record instanceof PipelineRecord p && p.idempotencyKey() != null) {
                    Optional<UUID> holder = search(Model.PIPELINE, SearchFilter.all()
                            .where(SearchField.IDEMPOTENCY_KEY, p.idempotencyKey()).limit(1)).stream()
                            .map(PipelineRecord::id).findFirst();
                    if (holder.isPresent() && !holder.get().equals(p.id())) {
                        return withCause(new DuplicateRecordException(model, p.id(),
                                "idempotency key \"" + p.idempotencyKey() + "\""), cause);
                    }
                }
            } catch (RepositoryException | JdbiException e) {
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

    private static String column(SearchField field) {
        return switch (field) {
            case STATUS -> "status";
            case NAME -> "name";
            case PIPELINE_ID -> "pipeline_uuid";
            case CLAIM_OWNER -> "claim_owner";
            case IDEMPOTENCY_KEY -> "idempotency_key";
        };
    }

    private static String describe(StoredRecord record) {
        return Model.of(record).singular() + " " + record.id();
    }
}
