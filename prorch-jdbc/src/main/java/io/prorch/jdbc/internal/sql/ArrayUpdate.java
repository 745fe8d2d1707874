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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Version-checked updates of many rows of one table in one PostgreSQL statement: every column travels as one text
 * array, {@code unnest} turns the arrays back into rows, and the UPDATE joins them on id and version. One statement
 * instead of one per row saves the server a statement's setup per row, and the driver a bind per row.
 *
 * @param <R> the record type of the table
 */
final class ArrayUpdate<R extends StoredRecord> {
    /** The earliest and latest instants whose ISO text PostgreSQL reads back exactly: years 1 to 9999. */
    private static final long MIN_SECOND = -62_135_596_800L;
    private static final long MAX_SECOND = 253_402_300_799L;

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

    /** @param columns the table's columns: the id first, the version second, then the rest */
    ArrayUpdate(String table, List<Column<R>> columns) {
        this.columns = columns;
        List<Column<R>> rest = columns.subList(2, columns.size());
        this.sql = "UPDATE " + table + " AS r SET version = r.version + 1, "
                + rest.stream().map(c -> c.name() + " = v." + c.name()).collect(Collectors.joining(", "))
                + " FROM unnest(" + columns.stream().map(c -> "CAST(? AS " + c.type() + "[])")
                .collect(Collectors.joining(", ")) + ") AS v("
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
        String[][] arrays = new String[columns.size()][records.size()];
        Set<UUID> ids = new HashSet<>(records.size() * 2);
        for (int i = 0; i < records.size(); i++) {
            R record = records.get(i);
            if (!ids.add(record.id())) {
                return false;
            }
            for (int c = 0; c < arrays.length; c++) {
                Object value = columns.get(c).value().apply(record);
                if (value instanceof Instant instant
                        && (instant.getEpochSecond() < MIN_SECOND || instant.getEpochSecond() > MAX_SECOND)) {
                    return false;
                }
                arrays[c][i] = value == null ? null : value instanceof Status status ? status.value() : value.toString();
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int c = 0; c < arrays.length; c++) {
                ps.setArray(c + 1, connection.createArrayOf("text", arrays[c]));
            }
            Set<UUID> updated = new HashSet<>(records.size() * 2);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    updated.add(rs.getObject(1, UUID.class));
                }
            }
            for (R record : records) {
                if (!updated.contains(record.id())) {
                    throw new VersionConflictException(Model.of(record), record.id(), record.version());
                }
            }
        }
        return true;
    }
}
