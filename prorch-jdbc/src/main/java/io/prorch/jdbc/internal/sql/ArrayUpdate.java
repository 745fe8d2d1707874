package io.prorch.jdbc.internal.sql;

import io.prorch.Status;
import io.prorch.repository.Model;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Version-checked updates of many rows of one table in one PostgreSQL statement: every column travels as one array
 * literal in a text parameter, {@code unnest} turns the arrays back into rows, and the UPDATE joins them on id and
 * version. One statement instead of one per row saves the server a statement's setup per row, and the driver a bind
 * per row; text parameters keep the driver's generic binding and array encoding off this path (see {@link PgText}).
 *
 * @param <R> the record type of the table
 */
final class ArrayUpdate<R extends StoredRecord> {
    /**
     * One column: its name, its PostgreSQL type, and its value in a record (a String, number, UUID, Status, Instant
     * or null).
     *
     * @param <R> the record type
     */
    record Column<R>(String name, String type, Function<R, Object> value) {
    }

    private final List<Column<R>> columns;
    private final String sql;

    /*
     * Why "LIMIT ?": PostgreSQL may keep one generic plan of this statement per connection, and an unknown LIMIT makes
     * that plan look the rows up by primary key, right at any table size, rather than scan a table that was small.
     */

    /** @param columns the table's columns: the id first, the version second, then the rest */
    ArrayUpdate(String table, List<Column<R>> columns) {
        this.columns = columns;
        List<Column<R>> rest = columns.subList(2, columns.size());
        this.sql = "UPDATE " + table + " AS r SET version = r.version + 1, "
                + rest.stream().map(c -> c.name() + " = v." + c.name()).collect(Collectors.joining(", "))
                // the LIMIT (bound to the number of rows, so it keeps them all) is for the plan: see above
                + " FROM (SELECT * FROM unnest(" + columns.stream().map(c -> "CAST(? AS " + c.type() + "[])")
                .collect(Collectors.joining(", ")) + ") LIMIT ?) AS v("
                + columns.stream().map(Column::name).collect(Collectors.joining(", "))
                + ") WHERE r.uuid = v.uuid AND r.version = v.version RETURNING r.uuid";
    }

    /**
     * Updates {@code records}, all of this table, inside the caller's transaction, unless they do not suit this
     * statement: ids must be distinct (a joined UPDATE changes a row once, where updates one after another would
     * conflict) and instants within the years 1 to 9999, whose ISO text PostgreSQL reads back exactly.
     *
     * @return false if the records do not suit it; nothing was sent
     * @throws VersionConflictException for the first record (in list order) whose stored version differed; the
     *     caller must roll back, as the others were updated
     */
    boolean update(Connection connection, List<R> records) throws SQLException {
        String[] ids = new String[records.size()];
        String[] literals = literals(records, ids);
        if (literals == null) {
            return false;
        }
        List<String> updated = execute(connection, literals, records.size());
        if (updated.size() == ids.length) {
            return true; // distinct ids, each row updated at most once: every record was
        }
        Set<String> found = new HashSet<>(updated);
        for (int i = 0; i < ids.length; i++) {
            if (!found.contains(ids[i])) {
                R record = records.get(i);
                throw new VersionConflictException(Model.of(record), record.id(), record.version());
            }
        }
        return true;
    }

    /*
     * The loops, one record's row and the JDBC calls are separate methods so that the JIT compiles each once and
     * small, not one large method with the driver inlined, again for every loop that gets hot (on-stack replacement).
     */

    /**
     * @param ids filled with the records' ids as text, in order
     * @return one array literal per column, or null if the records do not suit this statement
     */
    private String[] literals(List<R> records, String[] ids) {
        int count = records.size();
        Set<UUID> distinct = new HashSet<>(count * 2);
        StringBuilder[] literals = new StringBuilder[columns.size()];
        for (int c = 0; c < literals.length; c++) {
            literals[c] = new StringBuilder(2 + count * 40).append('{');
        }
        for (int i = 0; i < count; i++) {
            UUID id = records.get(i).id();
            ids[i] = id.toString();
            if (!distinct.add(id) || !appendRow(literals, records.get(i), ids[i], i > 0)) {
                return null;
            }
        }
        String[] texts = new String[literals.length];
        for (int c = 0; c < texts.length; c++) {
            texts[c] = literals[c].append('}').toString();
        }
        return texts;
    }

    /** Appends one record's values to the column literals; @return false if an instant is out of range */
    private boolean appendRow(StringBuilder[] literals, R record, String id, boolean separator) {
        for (int c = 0; c < literals.length; c++) {
            Object value = c == 0 ? id : columns.get(c).value().apply(record);
            String text;
            if (value instanceof Instant instant) {
                if (!PgText.writable(instant)) {
                    return false;
                }
                text = PgText.instant(instant);
            } else {
                text = value == null ? null : value instanceof Status status ? status.value() : value.toString();
            }
            if (separator) {
                literals[c].append(',');
            }
            PgText.appendElement(literals[c], text);
        }
        return true;
    }

    /** @return the ids of the rows the statement updated */
    private List<String> execute(Connection connection, String[] literals, int count) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int c = 0; c < literals.length; c++) {
                ps.setString(c + 1, literals[c]);
            }
            ps.setInt(literals.length + 1, count);
            List<String> updated = new ArrayList<>(count);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // PostgreSQL prints a uuid as UUID.toString() does: lower case, 8-4-4-4-12
                    updated.add(rs.getString(1));
                }
            }
            return updated;
        }
    }
}
