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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The SQL behind {@code JdbcRepository}, in plain JDBC: each operation one short transaction (or one statement in
 * autocommit mode), every statement prepared with positional parameters.
 */
public final class SqlStore {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int IN_LIST_CHUNK = 1000;
    /** Up to this many records, a PostgreSQL insert is one statement (a pipeline and its steps, typically). */
    private static final int SINGLE_STATEMENT_INSERT = 32;

    private final Dialect dialect;
    private final PipelineRows pipelines;
    private final StepRows steps;
    private final Transactions tx;
    private final Claims claims;

    private SqlStore(Transactions tx, Dialect dialect, Tables tables, JsonCodec json) {
        this.dialect = dialect;
        this.pipelines = new PipelineRows(tables, dialect, json);
        this.steps = new StepRows(tables, dialect, json);
        this.tx = tx;
        this.claims = new Claims(dialect, tables, pipelines, tx);
    }

    /**
     * @param dataSource where connections come from, one per operation
     * @param hint how to create missing tables, for error messages
     */
    public static SqlStore pooled(DataSource dataSource, Dialect dialect, Tables tables, JsonCodec json, String hint) {
        return new SqlStore(Transactions.pooled(dataSource, hint), dialect, tables, json);
    }

    /** @return a store that works inside the caller's transaction on {@code connection}, and never ends it */
    public static SqlStore inCallers(Connection connection, Dialect dialect, Tables tables, JsonCodec json,
                                     String hint) {
        return new SqlStore(Transactions.inCallers(connection, hint), dialect, tables, json);
    }

    /** @return the database server's current time */
    public Instant currentTime() {
        return tx.runSingle("reading the database's clock", c -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.currentTimeQuery());
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, OffsetDateTime.class).toInstant();
            }
        });
    }

    /** @return the record with {@code id}, if stored */
    public <R extends StoredRecord> Optional<R> get(Model<R> model, UUID id) {
        return tx.runSingle("get of " + model.singular() + " " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(select(model) + " WHERE uuid = ?")) {
                ps.setObject(1, id);
                List<R> found = list(model, ps);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    /** Inserts {@code records} in one transaction. */
    public void insert(List<? extends StoredRecord> records) {
        String operation = records.size() == 1 ? "save of " + describe(records.get(0))
                : "saveAll of " + records.size() + " records";
        try {
            if (dialect == Dialect.POSTGRESQL && records.size() <= SINGLE_STATEMENT_INSERT) {
                tx.runSingle(operation, c -> singleStatementInsert(c, records));
            } else if (records.size() <= SINGLE_STATEMENT_INSERT) {
                tx.run(operation, c -> multiRowInserts(c, records));
            } else {
                tx.run(operation, c -> {
                    batch(c, ofType(records, PipelineRecord.class), true);
                    batch(c, ofType(records, StepRecord.class), true);
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
    private Void singleStatementInsert(Connection c, List<? extends StoredRecord> records) throws SQLException {
        List<StepRecord> stepList = ofType(records, StepRecord.class);
        List<PipelineRecord> pipelineList = ofType(records, PipelineRecord.class);
        String stepInsert = stepList.isEmpty() ? null : multiRowInsert(stepList);
        String pipelineInsert = pipelineList.isEmpty() ? null : multiRowInsert(pipelineList);
        String sql = stepInsert == null ? pipelineInsert : pipelineInsert == null ? stepInsert
                : "WITH inserted_steps AS (" + stepInsert + ") " + pipelineInsert;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            // the parameters in the order they appear: the steps' CTE first
            bindValues(ps, bindValues(ps, 1, stepList), pipelineList);
            ps.executeUpdate();
        }
        return null;
    }

    /** Inserts the steps, then the pipelines, each with one multi-row INSERT: one command each instead of a row each. */
    private Void multiRowInserts(Connection c, List<? extends StoredRecord> records) throws SQLException {
        for (List<? extends StoredRecord> rows : List.of(ofType(records, StepRecord.class),
                ofType(records, PipelineRecord.class))) {
            if (!rows.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(multiRowInsert(rows))) {
                    bindValues(ps, 1, rows);
                    ps.executeUpdate();
                }
            }
        }
        return null;
    }

    /** @return an INSERT of {@code rows.size()} rows into the table of {@code rows}, all of one type */
    private String multiRowInsert(List<? extends StoredRecord> rows) {
        boolean pipeline = rows.get(0) instanceof PipelineRecord;
        return (pipeline ? pipelines.insertInto : steps.insertInto) + String.join(", ",
                Collections.nCopies(rows.size(), pipeline ? pipelines.valuesPositional : steps.valuesPositional));
    }

    /** Binds the VALUES tuples of {@code rows} from {@code index}; @return the next free index */
    private int bindValues(PreparedStatement ps, int index, List<? extends StoredRecord> rows) throws SQLException {
        for (StoredRecord row : rows) {
            index = row instanceof PipelineRecord p ? pipelines.bindValues(ps, index, p)
                    : steps.bindValues(ps, index, (StepRecord) row);
        }
        return index;
    }

    /** Updates {@code records} in one transaction, each only if its version is the stored one; all or nothing. */
    public void update(List<? extends StoredRecord> records) {
        String operation = records.size() == 1 ? "update of " + describe(records.get(0))
                : "updateAll of " + records.size() + " records";
        try {
            tx.run(operation, c -> {
                updateRows(c, ofType(records, PipelineRecord.class), pipelines.arrayUpdate);
                updateRows(c, ofType(records, StepRecord.class), steps.arrayUpdate);
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
        StringBuilder sql = new StringBuilder(select(model)).append(" WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        filter.equalities().forEach((field, value) -> {
            sql.append(" AND ").append(column(field)).append(" = ?");
            values.add(value instanceof Status status ? status.value() : value);
        });
        if (filter.dueAtOrBefore() != null) {
            sql.append(" AND due_at <= ?");
            values.add(filter.dueAtOrBefore());
        }
        sql.append(model == Model.PIPELINE ? " ORDER BY due_at ASC NULLS LAST" : " ORDER BY position");
        if (filter.limit() != SearchFilter.NO_LIMIT) {
            sql.append(" LIMIT ").append(filter.limit());
        }
        return tx.runSingle("search of " + model, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < values.size(); i++) {
                    Object value = values.get(i);
                    if (value instanceof Instant instant) {
                        Arguments.setInstant(ps, i + 1, instant);
                    } else {
                        ps.setObject(i + 1, value);
                    }
                }
                return list(model, ps);
            }
        });
    }

    /** @return the stored records among {@code ids}, in the order of {@code ids} */
    public <R extends StoredRecord> List<R> getAll(Model<R> model, Collection<UUID> ids) {
        List<UUID> all = List.copyOf(ids);
        Map<UUID, R> found = new HashMap<>();
        String sql = select(model) + " WHERE uuid = ANY(?)";
        for (int from = 0; from < all.size(); from += IN_LIST_CHUNK) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST_CHUNK));
            // one array parameter: the same statement for any number of ids, prepared once per connection
            tx.runSingle("getAll of " + chunk.size() + " " + model, c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    dialect.setUuids(c, ps, 1, chunk.toArray(new UUID[0]));
                    list(model, ps).forEach(r -> found.put(r.id(), r));
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

    /** Claims due pipelines; see {@link Claims}. */
    public List<PipelineRecord> claimDue(ClaimRequest request) {
        return claims.claimDue(request);
    }

    private String select(Model<?> model) {
        return model == Model.PIPELINE ? pipelines.select : steps.select;
    }

    private <R extends StoredRecord> List<R> list(Model<R> model, PreparedStatement ps) throws SQLException {
        List<R> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(model.recordType().cast(model == Model.PIPELINE ? pipelines.map(rs) : steps.map(rs)));
            }
        }
        return rows;
    }

    private static <R extends StoredRecord> List<R> ofType(List<? extends StoredRecord> records, Class<R> type) {
        List<R> rows = new ArrayList<>(records.size());
        for (StoredRecord record : records) {
            if (type.isInstance(record)) {
                rows.add(type.cast(record));
            }
        }
        return rows;
    }

    /** Runs one JDBC batch over {@code records}, all of one type: inserts, or version-checked updates. */
    private int[] batch(Connection c, List<? extends StoredRecord> records, boolean insert) throws SQLException {
        if (records.isEmpty()) {
            return new int[0];
        }
        boolean pipeline = records.get(0) instanceof PipelineRecord;
        String sql = pipeline ? (insert ? pipelines.insertInto + pipelines.valuesPositional : pipelines.updatePositional)
                : (insert ? steps.insertInto + steps.valuesPositional : steps.updatePositional);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (StoredRecord record : records) {
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
            }
            return ps.executeBatch();
        }
    }

    /** Updates {@code rows}, all of one type: in one statement where the dialect has one, else in a JDBC batch. */
    private <R extends StoredRecord> void updateRows(Connection c, List<R> rows, ArrayUpdate<R> arrays)
            throws SQLException {
        if (rows.isEmpty() || arrays != null && arrays.update(c, rows)) {
            return;
        }
        int[] counts = batch(c, rows, false);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 1) {
                StoredRecord record = rows.get(i);
                throw new VersionConflictException(Model.of(record), record.id(), record.version());
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
