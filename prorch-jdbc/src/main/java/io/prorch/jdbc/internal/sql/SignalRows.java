package io.prorch.jdbc.internal.sql;

import io.prorch.Status;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.jdbc.internal.json.JsonCodec;
import io.prorch.jdbc.internal.sql.ArrayUpdate.Column;
import io.prorch.repository.JsonValues;
import io.prorch.repository.Model;
import io.prorch.repository.SignalRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** SQL, binding and mapping of the pipeline_signals table. The payload is stored as metadata is. */
final class SignalRows extends Rows<SignalRecord> {
    SignalRows(Tables tables, Dialect dialect, JsonCodec json) {
        super(Model.SIGNAL, tables.signals(), dialect, json,
                "uuid, pipeline_uuid, name, status, payload, version, created_at, updated_at, consumed_by_step",
                "(" + dialect.uuid() + ", " + dialect.uuid() + ", ?, ?, " + dialect.json() + ", ?, "
                        + dialect.instant() + ", " + dialect.instant() + ", ?)",
                "pipeline_uuid = " + dialect.uuid() + ", name = ?, status = ?, payload = " + dialect.json()
                        + ", version = version + 1, created_at = " + dialect.instant() + ", updated_at = "
                        + dialect.instant() + ", consumed_by_step = ?",
                dialect != Dialect.POSTGRESQL ? null : arrayUpdate(tables.signals(), json),
                " ORDER BY created_at, uuid", "inserted_signals");
    }

    private static ArrayUpdate<SignalRecord> arrayUpdate(String table, JsonCodec json) {
        return new ArrayUpdate<>(table, List.of(
                new Column<>("uuid", "uuid", SignalRecord::id),
                new Column<>("version", "bigint", SignalRecord::version),
                new Column<>("pipeline_uuid", "uuid", SignalRecord::pipelineId),
                new Column<>("name", "text", SignalRecord::name),
                new Column<>("status", "text", SignalRecord::status),
                new Column<>("payload", "jsonb", g -> json.metadata(g.payload(), "signal " + g.id())),
                new Column<>("created_at", "timestamptz", SignalRecord::createdAt),
                new Column<>("updated_at", "timestamptz", SignalRecord::updatedAt),
                new Column<>("consumed_by_step", "integer", SignalRecord::consumedByStep)));
    }

    @Override
    int bindValues(PreparedStatement ps, int index, SignalRecord g) throws SQLException {
        Arguments.setUuid(ps, index, g.id(), text);
        return bindColumns(ps, index + 1, g, true);
    }

    @Override
    void bindUpdate(PreparedStatement ps, SignalRecord g) throws SQLException {
        int next = bindColumns(ps, 1, g, false);
        Arguments.setUuid(ps, next, g.id(), text);
        ps.setLong(next + 1, g.version());
    }

    /** Binds pipeline id through consumer (with the version after the payload when inserting). */
    private int bindColumns(PreparedStatement ps, int i, SignalRecord g, boolean withVersion) throws SQLException {
        Arguments.setUuid(ps, i++, g.pipelineId(), text);
        ps.setString(i++, g.name());
        ps.setString(i++, g.status().value());
        ps.setString(i++, json.metadata(g.payload(), "signal " + g.id()));
        if (withVersion) {
            ps.setLong(i++, g.version());
        }
        Arguments.setInstant(ps, i++, g.createdAt(), dialect);
        Arguments.setInstant(ps, i++, g.updatedAt(), dialect);
        ps.setInt(i++, g.consumedByStep());
        return i;
    }

    @Override
    SignalRecord map(ResultSet rs) throws SQLException {
        UUID id = rs.getObject("uuid", UUID.class);
        return new SignalRecord(id, rs.getObject("pipeline_uuid", UUID.class), rs.getString("name"),
                Status.fromValue(rs.getString("status")), json.readMetadata(rs.getString("payload"), "signal " + id),
                rs.getLong("version"), Arguments.instant(rs, "created_at", dialect),
                Arguments.instant(rs, "updated_at", dialect), rs.getInt("consumed_by_step"));
    }

    @Override
    String blame(ResultSet rs) throws SQLException {
        String text = rs.getString("status");
        if (fails(() -> Status.fromValue(text))) {
            return "status";
        }
        Status status = Status.fromValue(text);
        if (status != Status.PENDING && status != Status.FINISHED) {
            return "status";
        }
        String name = rs.getString("name");
        if (name == null || name.isBlank() || name.length() > SignalRecord.MAX_NAME_LENGTH) {
            return "name";
        }
        if (rs.getObject("pipeline_uuid") == null) {
            return "pipeline_uuid";
        }
        String payload = rs.getString("payload");
        if (fails(() -> JsonValues.canonicalMap(json.readMetadata(payload, ""), "payload"))) {
            return "payload";
        }
        if (rs.getLong("version") < 0) {
            return "version";
        }
        int consumer = rs.getInt("consumed_by_step");
        if (consumer < -1 || (status == Status.FINISHED) != (consumer >= 0)) {
            return "consumed_by_step";
        }
        for (String column : List.of("created_at", "updated_at")) {
            if (rs.getObject(column) == null) {
                return column;
            }
        }
        return null;
    }

    @Override
    void checkLengths(SignalRecord g) {
        checkLength(g, "name", g.name());
    }
}
