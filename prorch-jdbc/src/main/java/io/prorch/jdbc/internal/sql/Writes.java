package io.prorch.jdbc.internal.sql;

import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The INSERTs and version-checked UPDATEs of records of every model, on a connection whose transaction the caller
 * runs: each table's statements come from its {@link Rows}, and the tables are written in a fixed order.
 */
final class Writes {
    /**
     * The order of multi-row inserts: where one statement inserts several tables' rows, the INSERTs of all but the
     * last run as its CTEs. Signals sit between steps and pipelines, so a start (steps and a pipeline, no signals)
     * sends the very statement it sent before signals existed.
     */
    private final List<Rows<?>> stepsFirst;
    /**
     * The order of batches and updates: one fixed order, so concurrent updates lock rows in the same order. Signals
     * come last, after the pipeline whose version fences the batch.
     */
    private final List<Rows<?>> pipelinesFirst;
    /** The tables of batched inserts: every table, history last. */
    private final List<Rows<?>> allTables;
    private final HistoryRows history;
    private final HistoryAppend append;

    private final SignalRows signals;
    /** PostgreSQL's {@code NOTIFY} channel of saved signals ({@link SignalNotices#payload}), or null: no notices. */
    private final String channel;

    Writes(PipelineRows pipelines, StepRows steps, SignalRows signals, HistoryRows history, String channel) {
        this.append = new HistoryAppend(history, history.dialect);
        this.stepsFirst = List.of(steps, signals, history, pipelines);
        this.pipelinesFirst = List.of(pipelines, steps, signals);
        this.allTables = List.of(pipelines, steps, signals, history);
        this.history = history;
        this.signals = signals;
        this.channel = channel;
    }

    /**
     * Inserts {@code records} in one statement, so a start costs one round trip and its commit: the first tables'
     * multi-row INSERTs run as data-modifying common table expressions of the last one's (PostgreSQL).
     */
    Void insertInOneStatement(Connection c, List<? extends StoredRecord> records) throws SQLException {
        List<Slice<?>> slices = slices(stepsFirst, records);
        // with signals, every INSERT is a common table expression and a SELECT of pg_notify ends the statement, so
        // the notices go out with its commit: one round trip still
        boolean notify = channel != null && slices.stream().anyMatch(slice -> slice.rows() == signals);
        StringBuilder sql = new StringBuilder();
        int last = notify ? slices.size() : slices.size() - 1;
        for (int i = 0; i < last; i++) {
            Slice<?> slice = slices.get(i);
            sql.append(i == 0 ? "WITH " : ", ").append(slice.rows().insertedAs).append(" AS (")
                    .append(slice.insert())
                    .append(slice.rows() == signals && notify ? " RETURNING pipeline_uuid, name" : "")
                    .append(")");
        }
        sql.append(last > 0 ? " " : "").append(notify
                ? "SELECT pg_notify(?, " + SignalNotices.payload() + ") FROM (SELECT DISTINCT pipeline_uuid, name FROM "
                        + signals.insertedAs + ") notices"
                : slices.get(last).insert());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            // the parameters in the order they appear: the common table expressions first
            int index = 1;
            for (Slice<?> slice : slices) {
                index = slice.bindValues(ps, index);
            }
            if (notify) {
                ps.setString(index, channel);
            }
            ps.execute();
        }
        return null;
    }

    /** On PostgreSQL, after a multi-statement insert: the notices of its signals, sent with its commit. */
    private void notifySignals(Connection c, List<? extends StoredRecord> records) throws SQLException {
        List<String> payloads = signals.mine(records).stream().map(s -> s.pipelineId() + ":" + s.name()).distinct()
                .toList();
        if (channel == null || payloads.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, p) FROM unnest(?) p")) {
            ps.setString(1, channel);
            ps.setArray(2, c.createArrayOf("text", payloads.toArray()));
            ps.execute();
        }
    }

    /** Inserts each table's records with one multi-row INSERT: one command per table instead of one per row. */
    Void insertMultiRow(Connection c, List<? extends StoredRecord> records) throws SQLException {
        for (Slice<?> slice : slices(stepsFirst, records)) {
            try (PreparedStatement ps = c.prepareStatement(slice.insert())) {
                slice.bindValues(ps, 1);
                ps.executeUpdate();
            }
        }
        notifySignals(c, records);
        return null;
    }

    /** Inserts each table's records in one JDBC batch of single-row INSERTs. */
    Void insertBatches(Connection c, List<? extends StoredRecord> records) throws SQLException {
        for (Slice<?> slice : slices(allTables, records)) {
            slice.insertBatch(c);
        }
        notifySignals(c, records);
        return null;
    }

    /**
     * Updates the records of {@code records} as {@link #update} does, then inserts its history entries in one
     * statement ({@link HistoryAppend}): the transition and the entries that record it in one transaction.
     *
     * @throws VersionConflictException for a record whose stored version differed; the caller must roll back
     */
    Void updateAndAppend(Connection c, List<? extends StoredRecord> records) throws SQLException {
        update(c, records);
        append.append(c, history.mine(records));
        return null;
    }

    /**
     * Updates {@code records}, each only if its version is the stored one: per table in one statement where the
     * dialect has one, else in a JDBC batch.
     *
     * @throws VersionConflictException for a record whose stored version differed; the caller must roll back
     */
    Void update(Connection c, List<? extends StoredRecord> records) throws SQLException {
        for (Slice<?> slice : slices(pipelinesFirst, records)) {
            slice.update(c);
        }
        return null;
    }

    /** @return the records of each table in {@code order}, leaving out tables with none */
    private static List<Slice<?>> slices(List<Rows<?>> order, List<? extends StoredRecord> records) {
        List<Slice<?>> slices = new ArrayList<>(order.size());
        for (Rows<?> rows : order) {
            Slice<?> slice = Slice.of(rows, records);
            if (!slice.records().isEmpty()) {
                slices.add(slice);
            }
        }
        return slices;
    }

    /** The records of one table, with its statements. */
    private record Slice<R extends StoredRecord>(Rows<R> rows, List<R> records) {
        static <R extends StoredRecord> Slice<R> of(Rows<R> rows, List<? extends StoredRecord> all) {
            return new Slice<>(rows, rows.mine(all));
        }

        String insert() {
            return rows.insert(records.size());
        }

        int bindValues(PreparedStatement ps, int index) throws SQLException {
            return rows.bindValues(ps, index, records);
        }

        void insertBatch(Connection c) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(rows.insert(1))) {
                for (R record : records) {
                    rows.bindValues(ps, 1, record);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }

        void update(Connection c) throws SQLException {
            if (rows.arrayUpdate != null && rows.arrayUpdate.update(c, records)) {
                return;
            }
            // in id order: two batches that share rows lock them in the same order, so they wait rather than
            // deadlock (MariaDB found such deadlocks between orchestrators' batched transitions)
            List<R> ordered = new ArrayList<>(records);
            ordered.sort(Comparator.comparing(StoredRecord::id));
            int[] counts;
            try (PreparedStatement ps = c.prepareStatement(rows.updatePositional)) {
                for (R record : ordered) {
                    rows.bindUpdate(ps, record);
                    ps.addBatch();
                }
                counts = ps.executeBatch();
            }
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 1) {
                    R record = ordered.get(i);
                    throw new VersionConflictException(rows.model, record.id(), record.version());
                }
            }
        }
    }
}
