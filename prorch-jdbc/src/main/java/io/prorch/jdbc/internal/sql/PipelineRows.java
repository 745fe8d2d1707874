package io.prorch.jdbc.internal.sql;

import io.prorch.Status;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.jdbc.internal.json.JsonCodec;
import io.prorch.jdbc.internal.sql.ArrayUpdate.Column;
import io.prorch.repository.JsonValues;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** SQL, binding and mapping of the pipelines table. */
final class PipelineRows extends Rows<PipelineRecord> {
    PipelineRows(Tables tables, Dialect dialect, JsonCodec json) {
        super(Model.PIPELINE, tables.pipelines(), dialect, json,
                "uuid, name, status, step_names, current_step, metadata, version, created_at, updated_at, due_at,"
                        + " claim_owner, claim_expires_at, last_error, idempotency_key, priority",
                "(" + dialect.uuid() + ", ?, ?, " + dialect.json() + ", ?, " + dialect.json() + ", ?, "
                        + dialect.instant() + ", " + dialect.instant() + ", " + dialect.instant() + ", ?, "
                        + dialect.instant() + ", ?, ?, ?)",
                "name = ?, status = ?, step_names = " + dialect.json() + ", current_step = ?, metadata = "
                        + dialect.json() + ", version = version + 1, created_at = " + dialect.instant()
                        + ", updated_at = " + dialect.instant() + ", due_at = " + dialect.instant()
                        + ", claim_owner = ?, claim_expires_at = " + dialect.instant()
                        + ", last_error = ?, idempotency_key = ?, priority = ?",
                dialect != Dialect.POSTGRESQL ? null : arrayUpdate(tables.pipelines(), json),
                " ORDER BY " + dialect.ascendingNullsLast("due_at"), "inserted_pipelines");
    }

    private static ArrayUpdate<PipelineRecord> arrayUpdate(String table, JsonCodec json) {
        return new ArrayUpdate<>(table, List.of(
                new Column<>("uuid", "uuid", PipelineRecord::id),
                new Column<>("version", "bigint", PipelineRecord::version),
                new Column<>("name", "text", PipelineRecord::name),
                new Column<>("status", "text", PipelineRecord::status),
                new Column<>("step_names", "jsonb", p -> json.stepNames(p.stepNames(), "pipeline " + p.id())),
                new Column<>("current_step", "integer", PipelineRecord::currentStep),
                new Column<>("metadata", "jsonb", p -> json.metadata(p.metadata(), "pipeline " + p.id())),
                new Column<>("created_at", "timestamptz", PipelineRecord::createdAt),
                new Column<>("updated_at", "timestamptz", PipelineRecord::updatedAt),
                new Column<>("due_at", "timestamptz", PipelineRecord::dueAt),
                new Column<>("claim_owner", "text", PipelineRecord::claimOwner),
                new Column<>("claim_expires_at", "timestamptz", PipelineRecord::claimExpiresAt),
                new Column<>("last_error", "text", PipelineRecord::lastError),
                new Column<>("idempotency_key", "text", PipelineRecord::idempotencyKey),
                new Column<>("priority", "integer", PipelineRecord::priority)));
    }

    @Override
    int bindValues(PreparedStatement ps, int index, PipelineRecord p) throws SQLException {
        Arguments.setUuid(ps, index, p.id(), text);
        return bindColumns(ps, index + 1, p, true);
    }

    @Override
    void bindUpdate(PreparedStatement ps, PipelineRecord p) throws SQLException {
        int next = bindColumns(ps, 1, p, false);
        Arguments.setUuid(ps, next, p.id(), text);
        ps.setLong(next + 1, p.version());
    }

    /** Binds name through priority (with the version after the metadata when inserting). */
    private int bindColumns(PreparedStatement ps, int i, PipelineRecord p, boolean withVersion) throws SQLException {
        String owner = "pipeline " + p.id();
        ps.setString(i++, p.name());
        ps.setString(i++, p.status().value());
        ps.setString(i++, json.stepNames(p.stepNames(), owner));
        ps.setInt(i++, p.currentStep());
        ps.setString(i++, json.metadata(p.metadata(), owner));
        if (withVersion) {
            ps.setLong(i++, p.version());
        }
        Arguments.setInstant(ps, i++, p.createdAt(), dialect);
        Arguments.setInstant(ps, i++, p.updatedAt(), dialect);
        Arguments.setInstant(ps, i++, p.dueAt(), dialect);
        Arguments.setText(ps, i++, p.claimOwner());
        Arguments.setInstant(ps, i++, p.claimExpiresAt(), dialect);
        Arguments.setText(ps, i++, p.lastError());
        Arguments.setText(ps, i++, p.idempotencyKey());
        ps.setInt(i++, p.priority()); // derived from the metadata: a column, so that a limited claim can sort by it
        return i;
    }

    @Override
    PipelineRecord map(ResultSet rs) throws SQLException {
        UUID id = rs.getObject("uuid", UUID.class);
        String owner = "pipeline " + id;
        return new PipelineRecord(id, rs.getString("name"), Status.fromValue(rs.getString("status")),
                json.readStepNames(rs.getString("step_names"), owner), rs.getInt("current_step"),
                json.readMetadata(rs.getString("metadata"), owner), rs.getLong("version"),
                Arguments.instant(rs, "created_at", dialect), Arguments.instant(rs, "updated_at", dialect),
                Arguments.instant(rs, "due_at", dialect), rs.getString("claim_owner"),
                Arguments.instant(rs, "claim_expires_at", dialect), rs.getString("last_error"),
                rs.getString("idempotency_key"));
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
        String stepNames = rs.getString("step_names");
        List<String> steps;
        try {
            steps = json.readStepNames(stepNames, "");
        } catch (RuntimeException e) {
            return "step_names";
        }
        if (steps == null || steps.isEmpty() || steps.stream().anyMatch(step -> step == null || step.isBlank())) {
            return "step_names";
        }
        int current = rs.getInt("current_step");
        if (current < 0 || current >= steps.size()) {
            return "current_step";
        }
        String metadata = rs.getString("metadata");
        if (fails(() -> JsonValues.canonicalMap(json.readMetadata(metadata, ""), "metadata"))) {
            return "metadata";
        }
        if (rs.getLong("version") < 0) {
            return "version";
        }
        String key = rs.getString("idempotency_key");
        if (key != null && key.isBlank()) {
            return "idempotency_key";
        }
        if (rs.getObject("created_at") == null) {
            return "created_at";
        }
        if (rs.getObject("updated_at") == null) {
            return "updated_at";
        }
        return (rs.getString("claim_owner") == null) != (rs.getObject("claim_expires_at") == null)
                ? "claim_owner" : null;
    }

    @Override
    void checkLengths(PipelineRecord p) {
        checkLength(p, "name", p.name());
        p.stepNames().forEach(step -> checkLength(p, "step name", step));
        checkLength(p, "claimOwner", p.claimOwner());
        checkLength(p, "idempotencyKey", p.idempotencyKey());
    }

    @Override
    String idempotencyKey(PipelineRecord p) {
        return p.idempotencyKey();
    }
}
