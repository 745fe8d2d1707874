package io.prorch.jdbc.internal.sql;

import io.prorch.Status;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.jdbc.internal.json.JsonCodec;
import io.prorch.repository.PipelineRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.jdbi.v3.core.statement.SqlStatement;

/** SQL, binding and mapping of the pipelines table. */
final class PipelineRows {
    final String insert;
    final String update;
    final String select;
    private final JsonCodec json;

    PipelineRows(Tables tables, Dialect dialect, JsonCodec json) {
        this.json = json;
        String table = tables.pipelines();
        this.select = "SELECT * FROM " + table;
        this.insert = "INSERT INTO " + table + " (uuid, name, status, step_names, current_step, metadata, version,"
                + " created_at, updated_at, due_at, claim_owner, claim_expires_at, last_error, idempotency_key)"
                + " VALUES (:uuid, :name, :status, " + dialect.json("step_names") + ", :current_step, "
                + dialect.json("metadata") + ", :version, :created_at, :updated_at, :due_at, :claim_owner,"
                + " :claim_expires_at, :last_error, :idempotency_key)";
        this.update = "UPDATE " + table + " SET name = :name, status = :status, step_names = "
                + dialect.json("step_names") + ", current_step = :current_step, metadata = "
                + dialect.json("metadata") + ", version = version + 1, created_at = :created_at,"
                + " updated_at = :updated_at, due_at = :due_at, claim_owner = :claim_owner,"
                + " claim_expires_at = :claim_expires_at, last_error = :last_error,"
                + " idempotency_key = :idempotency_key WHERE uuid = :uuid AND version = :version";
    }

    <S extends SqlStatement<S>> S bind(S statement, PipelineRecord p) {
        String owner = "pipeline " + p.id();
        return statement.bind("uuid", p.id())
                .bind("name", p.name())
                .bind("status", p.status().value())
                .bind("step_names", json.stepNames(p.stepNames(), owner))
                .bind("current_step", p.currentStep())
                .bind("metadata", json.metadata(p.metadata(), owner))
                .bind("version", p.version())
                .bind("created_at", Arguments.instant(p.createdAt()))
                .bind("updated_at", Arguments.instant(p.updatedAt()))
                .bind("due_at", Arguments.instant(p.dueAt()))
                .bind("claim_owner", Arguments.text(p.claimOwner()))
                .bind("claim_expires_at", Arguments.instant(p.claimExpiresAt()))
                .bind("last_error", Arguments.text(p.lastError()))
                .bind("idempotency_key", Arguments.text(p.idempotencyKey()));
    }

    PipelineRecord map(ResultSet rs) throws SQLException {
        UUID id = rs.getObject("uuid", UUID.class);
        String owner = "pipeline " + id;
        return new PipelineRecord(id, rs.getString("name"), Status.fromValue(rs.getString("status")),
                json.readStepNames(rs.getString("step_names"), owner), rs.getInt("current_step"),
                json.readMetadata(rs.getString("metadata"), owner), rs.getLong("version"),
                Arguments.instant(rs, "created_at"), Arguments.instant(rs, "updated_at"),
                Arguments.instant(rs, "due_at"), rs.getString("claim_owner"),
                Arguments.instant(rs, "claim_expires_at"), rs.getString("last_error"),
                rs.getString("idempotency_key"));
    }
}
