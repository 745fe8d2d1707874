package io.prorch.jdbc.internal.sql;

import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.jdbc.internal.json.JsonCodec;
import io.prorch.repository.Model;
import io.prorch.repository.RecordRejectedException;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.StoredRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * One model's table: its SQL, how a record binds to the statements' parameters, how a row maps back to a record, and
 * what its columns hold. Everything that differs between pipelines, steps and signals lives in the subclasses, so
 * the code that runs the statements ({@link SqlStore}, {@link Writes}) is the same for all.
 *
 * @param <R> the model's record type
 */
abstract class Rows<R extends StoredRecord> {
    /** The longest name, step name, claim owner or idempotency key the tables' {@code VARCHAR(200)} columns hold. */
    private static final int MAX_NAME = 200;
    /** How much of a damaged column's value, and of the reason it cannot be read, a message quotes. */
    private static final int QUOTED = 200;

    final Model<R> model;
    /** The qualified table name, for messages. */
    final String table;
    final String select;
    /** The start of an INSERT, up to {@code VALUES}, followed by one or more {@link #valuesPositional} tuples. */
    final String insertInto;
    /** One VALUES tuple with positional parameters, bound by {@link #bindValues}. */
    final String valuesPositional;
    /** The version-checked UPDATE, with positional parameters, bound by {@link #bindUpdate}. */
    final String updatePositional;
    /** The version-checked UPDATE of many rows in one statement, on PostgreSQL; null elsewhere. */
    final ArrayUpdate<R> arrayUpdate;
    /** The ORDER BY of a {@link Search}, in {@link Model#searchOrder()}. */
    final String searchOrder;
    /** The name of this table's INSERT where it runs as a common table expression of another table's INSERT. */
    final String insertedAs;
    protected final JsonCodec json;
    /** Ids and instants bound as text, for the casts in the SQL: {@link Dialect#bindsText()}. */
    protected final boolean text;
    /** The database, for how instants are bound and read: {@link Arguments#setInstant(PreparedStatement, int,
     *  java.time.Instant, Dialect)}. */
    protected final Dialect dialect;

    /**
     * @param columns the INSERT's column list
     * @param set the UPDATE's SET clause
     */
    protected Rows(Model<R> model, String table, Dialect dialect, JsonCodec json, String columns, String values,
                   String set, ArrayUpdate<R> arrayUpdate, String searchOrder, String insertedAs) {
        this.model = model;
        this.table = table;
        this.json = json;
        this.text = dialect.bindsText();
        this.dialect = dialect;
        this.select = "SELECT * FROM " + table;
        this.insertInto = "INSERT INTO " + table + " (" + columns + ") VALUES ";
        this.valuesPositional = values;
        this.updatePositional = "UPDATE " + table + " SET " + set + " WHERE uuid = " + dialect.uuid()
                + " AND version = ?";
        this.arrayUpdate = arrayUpdate;
        this.searchOrder = searchOrder;
        this.insertedAs = insertedAs;
    }

    /** Binds the columns of {@link #valuesPositional} from {@code index}; @return the next free index */
    abstract int bindValues(PreparedStatement ps, int index, R record) throws SQLException;

    /** Binds every parameter of {@link #updatePositional}. */
    abstract void bindUpdate(PreparedStatement ps, R record) throws SQLException;

    /**
     * @return the record in the current row of {@code rs}
     * @throws RuntimeException if a column holds what the record cannot (a row damaged by hand)
     */
    abstract R map(ResultSet rs) throws SQLException;

    /**
     * Finds the column at fault in a row {@link #map} could not read, by the record's rules, column by column.
     *
     * @return the column's name, or null if no single column is at fault
     */
    abstract String blame(ResultSet rs) throws SQLException;

    /** @throws RecordRejectedException if a name, owner or key of {@code record} is longer than its column */
    abstract void checkLengths(R record);

    /** @return the record's idempotency key, or null if it has none (or its model has none) */
    String idempotencyKey(R record) {
        return null;
    }

    /** {@link #checkLengths} of a record of this model. */
    final void check(StoredRecord record) {
        checkLengths(model.cast(record));
    }

    /** {@link #idempotencyKey} of a record of this model. */
    final String idempotencyKeyOf(StoredRecord record) {
        return idempotencyKey(model.cast(record));
    }

    /** @return the records of this model among {@code records}, in their order */
    final List<R> mine(List<? extends StoredRecord> records) {
        Class<R> type = model.recordType();
        List<R> rows = new ArrayList<>(records.size());
        for (StoredRecord record : records) {
            if (type.isInstance(record)) {
                rows.add(type.cast(record));
            }
        }
        return rows;
    }

    /** @return an INSERT of {@code count} rows */
    final String insert(int count) {
        return insertInto + String.join(", ", Collections.nCopies(count, valuesPositional));
    }

    /** Binds the VALUES tuples of {@code records} from {@code index}; @return the next free index */
    final int bindValues(PreparedStatement ps, int index, List<R> records) throws SQLException {
        for (R record : records) {
            index = bindValues(ps, index, record);
        }
        return index;
    }

    /** @return the records {@code ps} selects, in its order */
    final List<R> list(PreparedStatement ps) throws SQLException {
        List<R> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(read(rs));
            }
        }
        return rows;
    }

    /**
     * @return the record in the current row of {@code rs}
     * @throws RepositoryException naming the table, the row's id, the column and its value (quoted up to a bound),
     *     with the original failure as the cause, if the row was damaged by hand
     */
    final R read(ResultSet rs) throws SQLException {
        try {
            return map(rs);
        } catch (RuntimeException e) {
            throw damaged(rs, e);
        }
    }

    private RepositoryException damaged(ResultSet rs, RuntimeException e) throws SQLException {
        UUID id = rs.getObject("uuid", UUID.class);
        String column = blame(rs);
        String where = column == null ? "" : ", column " + column + " holds " + quote(rs.getString(column));
        return new RepositoryException("Cannot read " + model.singular() + " " + id + ": its row in " + table
                + " is damaged" + where + ": " + bounded(e.getMessage() == null ? e.toString() : e.getMessage())
                + "; fix the stored row", e);
    }

    /** @return true if {@code check} throws: a column's value breaks the record's rule */
    protected static boolean fails(Runnable check) {
        try {
            check.run();
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static String quote(String value) {
        return value == null ? "NULL" : "\"" + bounded(value) + "\"";
    }

    private static String bounded(String text) {
        return text.length() <= QUOTED ? text
                : text.substring(0, QUOTED) + "... (" + text.length() + " characters)";
    }

    protected static void checkLength(StoredRecord record, String field, String value) {
        if (value != null && value.length() > MAX_NAME) {
            throw new RecordRejectedException(Model.of(record).singular() + " " + record.id() + ": " + field
                    + " is " + value.length() + " characters; the JDBC store keeps at most " + MAX_NAME);
        }
    }
}
