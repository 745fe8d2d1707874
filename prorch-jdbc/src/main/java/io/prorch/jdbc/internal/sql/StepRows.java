package io.prorch.jdbc.internal.sql;

import io.prorch.Status;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.jdbc.internal.json.JsonCodec;
import io.prorch.jdbc.internal.sql.ArrayUpdate.Column;
import io.prorch.repository.StepRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** SQL, binding and mapping of the pipeline_steps table. */
final class StepRows {
    final String insertInto;
    /** The version-checked UPDATE, with positional parameters, bound by {@link #bindUpdate}. */
    final String updatePositional;
    /** One VALUES tuple with positional parameters, bound by {@link #bindValues}. */
    final String valuesPositional;
    final String select;
    /** The version-checked UPDATE of many rows in one statement, on PostgreSQL; null elsewhere. */
    final ArrayUpdate<StepRecord> arrayUpdate;
    private final JsonCodec json;
    /** Ids and instants bound as text, for the casts in the SQL: {@link Dialect#bindsText()}. */
    private final boolean text;

    StepRows(Tables tables, Dialect dialect, JsonCodec json) {
        this.json = json;
        this.text = dialect.bindsText();
        String uuid = dialect.uuid();
        String instant = dialect.instant();
        String table = tables.steps();
        this.select = "SELECT * FROM " + table;
        this.insertInto = "INSERT INTO " + table + " (uuid, pipeline_uuid, name, position, status, metadata, attempts,"
                + " version, created_at, updated_at, last_error) VALUES ";
        this.updatePositional = "UPDATE " + table + " SET pipeline_uuid = " + uuid + ", name = ?, position = ?,"
                + " status = ?, metadata = " + dialect.json() + ", attempts = ?, version = version + 1, created_at = "
                + instant + ", updated_at = " + instant + ", last_error = ? WHERE uuid = " + uuid + " AND version = ?";
        this.valuesPositional = "(" + uuid + ", " + uuid + ", ?, ?, ?, " + dialect.json() + ", ?, ?, " + instant
                + ", " + instant + ", ?)";
        this.arrayUpdate = dialect != Dialect.POSTGRESQL ? null : new ArrayUpdate<>(table, List.of(
                new Column<>("uuid", "uuid", StepRecord::id),
                new Column<>("version", "bigint", StepRecord::version),
                new Column<>("pipeline_uuid", "uuid", StepRecord::pipelineId),
                new Column<>("name", "text", StepRecord::name),
                new Column<>("position", "integer", StepRecord::position),
                new Column<>("status", "text", StepRecord::status),
                new Column<>("metadata", "jsonb", s -> json.metadata(s.metadata(), "step " + s.id())),
                new Column<>("attempts", "integer", StepRecord::attempts),
                new Column<>("created_at", "timestamptz", StepRecord::createdAt),
                new Column<>("updated_at", "timestamptz", StepRecord::updatedAt),
                new Column<>("last_error", "text", StepRecord::lastError)));
    }

    /** Binds the columns of {@link #valuesPositional} from {@code index}; @return the next free index */
    int bindValues(PreparedStatement ps, int index, StepRecord s) throws SQLException {
        Arguments.setUuid(ps, index, s.id(), text);
        return bindColumns(ps, index + 1, s, true);
    }

    /** Binds every parameter of {@link #updatePositional}. */
    void bindUpdate(PreparedStatement ps, StepRecord s) throws SQLException {
        int next = bindColumns(ps, 1, s, false);
        Arguments.setUuid(ps, next, s.id(), text);
        ps.setLong(next + 1, s.version());
    }

    private int bindColumns(PreparedStatement ps, int i, StepRecord s, boolean withVersion) throws SQLException {
        Arguments.setUuid(ps, i++, s.pipelineId(), text);
        ps.setString(i++, s.name());
        ps.setInt(i++, s.position());
        ps.setString(i++, s.status().value());
        ps.setString(i++, json.metadata(s.metadata(), "step " + s.id()));
        ps.setInt(i++, s.attempts());
        if (withVersion) {
            ps.setLong(i++, s.version());
        }
        Arguments.setInstant(ps, i++, s.createdAt(), text);
        Arguments.setInstant(ps, i++, s.updatedAt(), text);
        Arguments.setText(ps, i++, s.lastError());
        return i;
    }

    StepRecord map(ResultSet rs) throws SQLException {
        UUID id = rs.getObject("uuid", UUID.class);
        return new StepRecord(id, rs.getObject("pipeline_uuid", UUID.class), rs.getString("name"),
                rs.getInt("position"), Status.fromValue(rs.getString("status")),
                json.readMetadata(rs.getString("metadata"), "step " + id), rs.getInt("attempts"),
                rs.getLong("version"), Arguments.instant(rs, "created_at"), Arguments.instant(rs, "updated_at"),
                rs.getString("last_error"));
    }
}
