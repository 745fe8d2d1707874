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
    final String insertInto;
    final String update;
    private final Dialect dialect;
    final String select;
    private final JsonCodec json;

    PipelineRows(Tables tables, Dialect dialect, JsonCodec json) {
        this.json = json;
        String table = tables.pipelines();
        this.select = "SELECT * FROM " + table;
        this.dialect = dialect;
        this.insertInto = "INSERT INTO " + table + " (uuid, name, status, step_names, current_step, metadata, version,"
                + " created_at, updated_at, due_at, claim_owner, claim_expires_at, last_error, idempotency_key) VALUES ";
        this.insert = insertInto + values("");
        this.update = "UPDATE " + table + " SET name = :name, status = :status, step_names = "
                + dialect.json("step_names") + ", current_step = :current_step, metadata = "
                + dialect.json("metadata") + ", version = version + 1, created_at = :created_at,"
                + " updated_at = :updated_at, due_at = :due_at, claim_owner = :claim_owner,"
                + " claim_expires_at = :claim_expires_at, last_error = :last_error,"
                + " idempotency_key = :idempotency_key WHERE uuid = :uuid AND version = :version";
    }

    /** @return the VALUES tuple of one row, its parameter names ending in {@code suffix} */
    String values(String x) {
        return "(:uuid" + x + ", :name" + x + ", :status" + x + ", " + dialect.json("step_names" + x) + ", :current_step"
                + x + ", " + dialect.json("metadata" + x) + ", :version" + x + ", :created_at" + x + ", :updated_at" + x
                + ", :due_at" + x + ", :claim_owner" + x + ", :claim_expires_at" + x + ", :last_error" + x
                + ", :idempotency_key" + x + ")";
    }

    <S extends SqlStatement<S>> S bind(S statement, PipelineRecord p) {
        return bind(statement, p, "");
    }

    <S extends SqlStatement<S>> S bind(S statement, PipelineRecord p, String x) {
        String owner = "pipeline " + p.id();
        return statement.bind("uuid" + x, p.id())
                .bind("name" + x, p.name())
                .bind("status" + x, p.status().value())
                .bind("step_names" + x, json.stepNames(p.stepNames(), owner))
                .bind("current_step" + x, p.currentStep())
                .bind("metadata" + x, json.metadata(p.metadata(), owner))
                .bind("version" + x, p.version())
                .bind("created_at" + x, Arguments.instant(p.createdAt()))
                .bind("updated_at" + x, Arguments.instant(p.updatedAt()))
                .bind("due_at" + x, Arguments.instant(p.dueAt()))
                .bind("claim_owner" + x, Arguments.text(p.claimOwner()))
                .bind("claim_expires_at" + x, Arguments.instant(p.claimExpiresAt()))
                .bind("last_error" + x, Arguments.text(p.lastError()))
                .bind("idempotency_key" + x, Arguments.text(p.idempotencyKey()));
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
