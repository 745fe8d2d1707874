package io.prorch.jdbc.internal.sql;

import io.prorch.Status;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.jdbc.internal.json.JsonCodec;
import io.prorch.repository.HistoryRecord;
import io.prorch.repository.Model;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * SQL, binding and mapping of the pipeline_history table: inserted only (with the transition it records, or with a
 * start), never updated, so it has no version column and no UPDATE.
 */
final class HistoryRows extends Rows<HistoryRecord> {
    HistoryRows(Tables tables, Dialect dialect, JsonCodec json) {
        super(Model.HISTORY, tables.historyEntries(), dialect, json,
                "uuid, pipeline_uuid, step_name, position, from_status, to_status, attempt, orchestrator_id,"
                        + " created_at, error_type, error_message, error_stack, signal_name, action, actor, reason",
                "(" + dialect.uuid() + ", " + dialect.uuid() + ", ?, ?, ?, ?, ?, ?, " + dialect.instant()
                        + ", ?, ?, ?, ?, ?, ?, ?)",
                "attempt = attempt", null, " ORDER BY created_at, uuid", "inserted_history");
    }

    @Override
    int bindValues(PreparedStatement ps, int i, HistoryRecord h) throws SQLException {
        Arguments.setUuid(ps, i++, h.id(), text);
        Arguments.setUuid(ps, i++, h.pipelineId(), text);
        Arguments.setText(ps, i++, h.stepName());
        ps.setInt(i++, h.position());
        Arguments.setText(ps, i++, h.fromStatus() == null ? null : h.fromStatus().value());
        ps.setString(i++, h.toStatus().value());
        ps.setInt(i++, h.attempt());
        Arguments.setText(ps, i++, h.orchestratorId());
        Arguments.setInstant(ps, i++, h.at(), dialect);
        Arguments.setText(ps, i++, h.errorType());
        Arguments.setText(ps, i++, h.errorMessage());
        Arguments.setText(ps, i++, h.errorStack());
        Arguments.setText(ps, i++, h.signal());
        Arguments.setText(ps, i++, h.action());
        Arguments.setText(ps, i++, h.actor());
        Arguments.setText(ps, i++, h.reason());
        return i;
    }

    @Override
    void bindUpdate(PreparedStatement ps, HistoryRecord record) {
        throw new UnsupportedOperationException("history is append-only");
    }

    @Override
    HistoryRecord map(ResultSet rs) throws SQLException {
        String from = rs.getString("from_status");
        return new HistoryRecord(rs.getObject("uuid", UUID.class), rs.getObject("pipeline_uuid", UUID.class),
                rs.getString("step_name"), rs.getInt("position"), from == null ? null : Status.fromValue(from),
                Status.fromValue(rs.getString("to_status")), rs.getInt("attempt"), rs.getString("orchestrator_id"),
                Arguments.instant(rs, "created_at", dialect), rs.getString("error_type"),
                rs.getString("error_message"), rs.getString("error_stack"), rs.getString("signal_name"),
                rs.getString("action"), rs.getString("actor"), rs.getString("reason"));
    }

    @Override
    String blame(ResultSet rs) throws SQLException {
        for (String column : new String[] {"from_status", "to_status"}) {
            String status = rs.getString(column);
            if ((status != null || column.equals("to_status")) && fails(() -> Status.fromValue(status))) {
                return column;
            }
        }
        String action = rs.getString("action");
        if (action != null && !HistoryRecord.ACTIONS.contains(action)) {
            return "action";
        }
        if (rs.getInt("position") < -1 || (rs.getString("step_name") == null) != (rs.getInt("position") == -1)) {
            return "position";
        }
        if (rs.getInt("attempt") < 0) {
            return "attempt";
        }
        return rs.getObject("created_at") == null ? "created_at" : null;
    }

    @Override
    void checkLengths(HistoryRecord record) {
        // the record's own bounds fit the columns
    }
}
