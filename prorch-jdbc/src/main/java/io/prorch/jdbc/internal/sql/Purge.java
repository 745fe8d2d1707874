package io.prorch.jdbc.internal.sql;

import io.prorch.jdbc.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Retention's delete, in the caller's transaction: the pipelines among the given ids that are still ended and were
 * last updated before the bound are locked, then their history, signals, steps and themselves are deleted. The rows of
 * the pipelines' own tables are found through the indexes on pipeline_uuid (steps: on H2, which has none, by scan).
 */
final class Purge {
    private final Dialect dialect;
    private final Tables tables;

    Purge(Dialect dialect, Tables tables) {
        this.dialect = dialect;
        this.tables = tables;
    }

    List<UUID> purge(Connection c, List<UUID> ids, Instant endedBefore) throws SQLException {
        UUID[] candidates = ids.toArray(new UUID[0]);
        List<UUID> ended = new ArrayList<>(candidates.length);
        try (PreparedStatement ps = c.prepareStatement("SELECT uuid FROM " + tables.pipelines() + " WHERE uuid "
                + dialect.uuidIn(candidates.length) + " AND status IN ('finished', 'failed', 'cancelled')"
                + " AND updated_at < ? FOR UPDATE")) {
            dialect.setUuids(c, ps, 1, candidates);
            Arguments.setPlainInstant(ps, dialect == Dialect.MARIADB ? candidates.length + 1 : 2, endedBefore,
                    dialect);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ended.add(rs.getObject(1, UUID.class));
                }
            }
        }
        if (ended.isEmpty()) {
            return ended;
        }
        UUID[] doomed = ended.toArray(new UUID[0]);
        for (String table : List.of(tables.historyEntries(), tables.signals(), tables.steps())) {
            delete(c, "DELETE FROM " + table + " WHERE pipeline_uuid " + dialect.uuidIn(doomed.length), doomed);
        }
        delete(c, "DELETE FROM " + tables.pipelines() + " WHERE uuid " + dialect.uuidIn(doomed.length), doomed);
        return ended;
    }

    private void delete(Connection c, String sql, UUID[] ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            dialect.setUuids(c, ps, 1, ids);
            ps.executeUpdate();
        }
    }
}
