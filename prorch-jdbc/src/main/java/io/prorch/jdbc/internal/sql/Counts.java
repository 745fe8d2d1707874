package io.prorch.jdbc.internal.sql;

import io.prorch.PipelineCounts;
import io.prorch.Status;
import io.prorch.jdbc.internal.dialect.Dialect;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Pipelines counted by name and status. Exact everywhere, except for finished pipelines in a large PostgreSQL table:
 * counting a million rows takes longer than an operator's page may (about 170 ms), while the pipelines that are not
 * finished, few in a healthy system, are counted exactly through a partial index. The finished ones are then the
 * table's live row count (kept current by the statistics collector) less the exact rest, split by name in the
 * proportions of the planner's statistics on (name, status), which ANALYZE refreshes.
 */
final class Counts {
    /** Up to this many rows (the planner's estimate), finished pipelines are counted exactly on PostgreSQL too. */
    static final long EXACT_UP_TO = 100_000;

    private final Dialect dialect;
    private final Tables tables;
    private final String table;

    Counts(Dialect dialect, Tables tables) {
        this.dialect = dialect;
        this.tables = tables;
        this.table = tables.pipelines();
    }

    PipelineCounts count(Transactions tx) {
        return tx.query("count of pipelines", this::count);
    }

    private PipelineCounts count(Handle h) {
        Map<String, Map<Status, Long>> byName = new HashMap<>();
        if (dialect != Dialect.POSTGRESQL) {
            add(h, "SELECT name, status, COUNT(*) FROM " + table + " GROUP BY name, status", byName);
            return counts(byName, false);
        }
        add(h, "SELECT name, status, COUNT(*) FROM " + table + " WHERE status <> 'finished' GROUP BY name, status",
                byName);
        double planned = h.createQuery("SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)").bind(0, table)
                .mapTo(Double.class).findOne().orElse(-1.0);
        if (planned < EXACT_UP_TO) {
            add(h, "SELECT name, 'finished', COUNT(*) FROM " + table + " WHERE status = 'finished' GROUP BY name",
                    byName);
            return counts(byName, false);
        }
        // the planner's most common (name, status) pairs: the share of each name among finished pipelines
        List<Map<String, Object>> common = h.createQuery("SELECT s.most_common_vals[i][1] AS name,"
                        + " s.most_common_freqs[i] AS freq FROM pg_stats_ext s,"
                        + " generate_subscripts(s.most_common_freqs, 1) i WHERE s.statistics_name = ?"
                        + " AND s.statistics_schemaname = COALESCE(?, current_schema())"
                        + " AND s.most_common_vals[i][2] = 'finished'")
                .bind(0, tables.prefix() + "pipelines_name_status_stats").bind(1, tables.schema()).mapToMap().list();
        Long live = h.createQuery("SELECT n_live_tup FROM pg_stat_user_tables WHERE relid = to_regclass(?)")
                .bind(0, table).mapTo(Long.class).findOne().orElse(null);
        if (common.isEmpty() || live == null) {
            // never analyzed: no proportions to split by, so count after all
            add(h, "SELECT name, 'finished', COUNT(*) FROM " + table + " WHERE status = 'finished' GROUP BY name",
                    byName);
            return counts(byName, false);
        }
        long unfinished = byName.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        long finished = Math.max(0, live - unfinished);
        double shares = common.stream().mapToDouble(r -> ((Number) r.get("freq")).doubleValue()).sum();
        for (Map<String, Object> row : common) {
            long n = Math.round(finished * ((Number) row.get("freq")).doubleValue() / shares);
            if (n > 0) {
                byName.computeIfAbsent((String) row.get("name"), k -> new EnumMap<>(Status.class))
                        .merge(Status.FINISHED, n, Long::sum);
            }
        }
        PipelineCounts partial = counts(byName, true);
        Map<Status, Long> byStatus = new EnumMap<>(partial.byStatus());
        if (finished > 0) {
            byStatus.put(Status.FINISHED, finished);
        }
        return new PipelineCounts(byStatus, partial.byName(), true);
    }

    private static void add(Handle h, String sql, Map<String, Map<Status, Long>> byName) {
        for (Row row : h.createQuery(sql).map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3)))
                .list()) {
            byName.computeIfAbsent(row.name(), k -> new EnumMap<>(Status.class))
                    .merge(Status.fromValue(row.status()), row.count(), Long::sum);
        }
    }

    private record Row(String name, String status, long count) {
    }

    private static PipelineCounts counts(Map<String, Map<Status, Long>> byName, boolean estimated) {
        Map<Status, Long> byStatus = new EnumMap<>(Status.class);
        byName.values().forEach(m -> m.forEach((status, n) -> byStatus.merge(status, n, Long::sum)));
        return new PipelineCounts(byStatus, byName, estimated);
    }
}
