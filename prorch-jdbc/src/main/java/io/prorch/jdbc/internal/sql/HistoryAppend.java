package io.prorch.jdbc.internal.sql;

import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.repository.HistoryRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Appends the history entries of a group commit inside its transaction, in one statement whose text is the same for
 * any number of entries, so the database parses and plans it once per connection rather than once per commit:
 * <ul>
 *   <li>PostgreSQL: one {@code INSERT ... SELECT FROM unnest(..)} with every column as one array literal in a text
 *       parameter (as {@link ArrayUpdate} does for updates): a server-side prepared statement after the driver's
 *       threshold, and a bind of 16 strings instead of 16 typed values per entry;</li>
 *   <li>H2: a JDBC batch of one single-row INSERT. H2 runs in the JVM, so a batch costs no round trips, while a
 *       multi-row INSERT of a new size is parsed again (about a seventh of the committer's samples in JFR, a group
 *       commit's size being different nearly every time) and pushes the transition's own statements out of the
 *       session's query cache of 8;</li>
 *   <li>MariaDB: one multi-row INSERT, as before (one round trip).</li>
 * </ul>
 * Entries whose instants PostgreSQL's text cannot carry exactly (outside the years 1 to 9999) take the multi-row
 * INSERT there too.
 */
final class HistoryAppend {
    private static final String[] TYPES = {"uuid", "uuid", "text", "integer", "text", "text", "integer", "text",
        "timestamptz", "text", "text", "text", "text", "text", "text", "text"};

    private final HistoryRows rows;
    private final Dialect dialect;
    private final String unnestInsert;

    HistoryAppend(HistoryRows rows, Dialect dialect) {
        this.rows = rows;
        this.dialect = dialect;
        String into = rows.insertInto.substring(0, rows.insertInto.length() - "VALUES ".length());
        StringBuilder sql = new StringBuilder(into).append("SELECT * FROM unnest(");
        for (int c = 0; c < TYPES.length; c++) {
            sql.append(c == 0 ? "" : ", ").append("CAST(? AS ").append(TYPES[c]).append("[])");
        }
        this.unnestInsert = sql.append(')').toString();
    }

    /** Inserts {@code entries} (none is fine) inside the caller's transaction on {@code c}. */
    void append(Connection c, List<HistoryRecord> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        if (dialect == Dialect.POSTGRESQL && entries.size() > 1) {
            String[] literals = literals(entries);
            if (literals != null) {
                try (PreparedStatement ps = c.prepareStatement(unnestInsert)) {
                    for (int i = 0; i < literals.length; i++) {
                        ps.setString(i + 1, literals[i]);
                    }
                    ps.executeUpdate();
                }
                return;
            }
        }
        if (dialect == Dialect.H2 && entries.size() > 1) {
            try (PreparedStatement ps = c.prepareStatement(rows.insert(1))) {
                for (HistoryRecord entry : entries) {
                    rows.bindValues(ps, 1, entry);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(rows.insert(entries.size()))) {
            rows.bindValues(ps, 1, entries);
            ps.executeUpdate();
        }
    }

    /** @return one array literal per column, or null if an instant is outside what the text carries exactly */
    private static String[] literals(List<HistoryRecord> entries) {
        StringBuilder[] columns = new StringBuilder[TYPES.length];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = new StringBuilder(2 + entries.size() * (c < 2 ? 40 : 8)).append('{');
        }
        boolean first = true;
        for (HistoryRecord h : entries) {
            if (!PgText.writable(h.at())) {
                return null;
            }
            if (!first) {
                for (StringBuilder column : columns) {
                    column.append(',');
                }
            }
            first = false;
            appendRow(columns, h);
        }
        String[] texts = new String[columns.length];
        for (int c = 0; c < texts.length; c++) {
            texts[c] = columns[c].append('}').toString();
        }
        return texts;
    }

    private static void appendRow(StringBuilder[] columns, HistoryRecord h) {
        columns[0].append(h.id());
        columns[1].append(h.pipelineId());
        PgText.appendElement(columns[2], h.stepName());
        columns[3].append(h.position());
        PgText.appendElement(columns[4], h.fromStatus() == null ? null : h.fromStatus().value());
        columns[5].append(h.toStatus().value());
        columns[6].append(h.attempt());
        PgText.appendElement(columns[7], h.orchestratorId());
        columns[8].append(PgText.instant(h.at()));
        PgText.appendElement(columns[9], h.errorType());
        PgText.appendElement(columns[10], h.errorMessage());
        PgText.appendElement(columns[11], h.errorStack());
        PgText.appendElement(columns[12], h.signal());
        PgText.appendElement(columns[13], h.action());
        PgText.appendElement(columns[14], h.actor());
        PgText.appendElement(columns[15], h.reason());
    }
}
