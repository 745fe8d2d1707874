package io.prorch.jdbc.internal.sql;

import io.prorch.Status;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.jdbc.internal.json.JsonCodec;
import io.prorch.jdbc.internal.sql.ArrayUpdate.Column;
import io.prorch.repository.JsonValues;
import io.prorch.repository.Model;
import io.prorch.repository.StepRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** SQL, binding and mapping of the pipeline_steps table. Steps have no idempotency key. */
final class StepRows extends Rows<StepRecord> {
    StepRows(Tables tables, Dialect dialect, JsonCodec json) {
        super(Model.STEP, tables.steps(), dialect, json,
                "uuid, pipeline_uuid, name, position, status, metadata, attempts, version, created_at, updated_at,"
                        + " last_error",
                "(" + dialect.uuid() + ", " + dialect.uuid() + ", ?, ?, ?, " + dialect.json() + ", ?, ?, "
                        + dialect.instant() + ", " + dialect.instant() + ", ?)",
                "pipeline_uuid = " + dialect.uuid() + ", name = ?, position = ?, status = ?, metadata = "
                        + dialect.json() + ", attempts = ?, version = version + 1, created_at = " + dialect.instant()
                        + ", updated_at = " + dialect.instant() + ", last_error = ?",
                dialect != Dialect.POSTGRESQL ? null : arrayUpdate(tables.steps(), json),
                " ORDER BY position", "inserted_steps");
    }

    private static ArrayUpdate<StepRecord> arrayUpdate(String table, JsonCodec json) {
        return new ArrayUpdate<>(table, List.of(
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

    @Override
    int bindValues(PreparedStatement ps, int index, StepRecord s) throws SQLException {
        Arguments.setUuid(ps, index, s.id(), text);
        return bindColumns(ps, index + 1, s, true);
    }

    @Override
    void bindUpdate(PreparedStatement ps, StepRecord s) throws SQLException {
        int next = bindColumns(ps, 1, s, false);
        Arguments.setUuid(ps, next, s.id(), text);
        ps.setLong(next + 1, s.version());
    }

    /** Binds pipeline id through last error (with the version after the attempts when inserting). */
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
        Arguments.setInstant(ps, i++, s.createdAt(), dialect);
        Arguments.setInstant(ps, i++, s.updatedAt(), dialect);
        Arguments.setText(ps, i++, s.lastError());
        return i;
    }

    @Override
    StepRecord map(ResultSet rs) throws SQLException {
        UUID id = rs.getObject("uuid", UUID.class);
        return new StepRecord(id, rs.getObject("pipeline_uuid", UUID.class), rs.getString("name"),
                rs.getInt("position"), Status.fromValue(rs.getString("status")),
                json.readMetadata(rs.getString("metadata"), "step " + id), rs.getInt("attempts"),
                rs.getLong("version"), Arguments.instant(rs, "created_at", dialect),
                Arguments.instant(rs, "updated_at", dialect), rs.getString("last_error"));
    }

    @Override
    String blame(ResultSet rs) throws SQLException {
        String status = rs.getString("status");
        if (fails(() -> Status.fromValue(status))) {
            return "status";
        }
        String name = rs.getString("name");
        if (name == null || name.isBlank()) {
            return "name";
        }
        if (rs.getObject("pipeline_uuid") == null) {
            return "pipeline_uuid";
        }
        if (rs.getInt("position") < 0) {
            return "position";
        }
        String metadata = rs.getString("metadata");
        if (fails(() -> JsonValues.canonicalMap(json.readMetadata(metadata, ""), "metadata"))) {
            return "metadata";
        }
        if (rs.getInt("attempts") < 0) {
            return "attempts";
        }
        if (rs.getLong("version") < 0) {
            return "version";
        }
        for (String column : List.of("created_at", "updated_at")) {
            if (rs.getObject(column) == null) {
                return column;
            }
        }
        return null;
    }

    @Override
    void checkLengths(StepRecord s) {
        checkLength(s, "name", s.name());
    }
}
