package io.prorch.jdbc.internal.sql;

import io.prorch.Status;
import io.prorch.jdbc.internal.dialect.Dialect;
import io.prorch.jdbc.internal.json.JsonCodec;
import io.prorch.repository.StepRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.jdbi.v3.core.statement.SqlStatement;

/** SQL, binding and mapping of the pipeline_steps table. */
final class StepRows {
    final String insert;
    final String insertInto;
    final String update;
    private final Dialect dialect;
    final String select;
    private final JsonCodec json;

    StepRows(Tables tables, Dialect dialect, JsonCodec json) {
        this.json = json;
        String table = tables.steps();
        this.select = "SELECT * FROM " + table;
        this.dialect = dialect;
        this.insertInto = "INSERT INTO " + table + " (uuid, pipeline_uuid, name, position, status, metadata, attempts,"
                + " version, created_at, updated_at, last_error) VALUES ";
        this.insert = insertInto + values("");
        this.update = "UPDATE " + table + " SET pipeline_uuid = :pipeline_uuid, name = :name, position = :position,"
                + " status = :status, metadata = " + dialect.json("metadata") + ", attempts = :attempts,"
                + " version = version + 1, created_at = :created_at, updated_at = :updated_at,"
                + " last_error = :last_error WHERE uuid = :uuid AND version = :version";
    }

    /** @return the VALUES tuple of one row, its parameter names ending in {@code suffix} */
    String values(String x) {
        return "(:uuid" + x + ", :pipeline_uuid" + x + ", :name" + x + ", :position" + x + ", :status" + x + ", "
                + dialect.json("metadata" + x) + ", :attempts" + x + ", :version" + x + ", :created_at" + x
                + ", :updated_at" + x + ", :last_error" + x + ")";
    }

    <S extends SqlStatement<S>> S bind(S statement, StepRecord s) {
        return bind(statement, s, "");
    }

    <S extends SqlStatement<S>> S bind(S statement, StepRecord s, String x) {
        return statement.bind("uuid" + x, s.id())
                .bind("pipeline_uuid" + x, s.pipelineId())
                .bind("name" + x, s.name())
                .bind("position" + x, s.position())
                .bind("status" + x, s.status().value())
                .bind("metadata" + x, json.metadata(s.metadata(), "step " + s.id()))
                .bind("attempts" + x, s.attempts())
                .bind("version" + x, s.version())
                .bind("created_at" + x, Arguments.instant(s.createdAt()))
                .bind("updated_at" + x, Arguments.instant(s.updatedAt()))
                .bind("last_error" + x, Arguments.text(s.lastError()));
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
