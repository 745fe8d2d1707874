package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.PassSummary;
import io.prorch.jdbc.JdbcRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --mode idle}: what a pass costs when nothing is due. {@code --pipelines} (100,000) pipelines wait, due in an
 * hour; the orchestrator makes {@code --passes} (20) passes and the median and longest are reported, and on PostgreSQL
 * the rows each pass read from the pipelines table and its sequential scans, so that an idle pass is seen to read no
 * more than the due rows. Also {@code --workers} (4) and {@code --batch} (200).
 */
final class IdleMode {
    private IdleMode() {
    }

    /** @return the RESULT line's fields: the passes' median and maximum, and on PostgreSQL the rows they read */
    static Map<String, Object> run(BenchOptions options) throws Exception {
        int waiting = options.integer("pipelines", 100_000);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch pass with " + waiting + " pipelines waiting, none due");
        try (HikariDataSource ds = options.freshDatabase()) {
            JdbcRepository repository = JdbcRepository.create(ds);
            BenchRecords.insert(repository, waiting, "Waiting", List.of("Waits"), i -> Map.of(),
                    Instant.now().plusSeconds(3600));
            BenchDatabase.analyze(options.db(), ds);
            List<Double> passes = new ArrayList<>();
            if (options.pg()) {
                // count the passes, not the load: idle backends report their statistics within a second
                Thread.sleep(1100);
            }
            long[] before = options.pg() ? tableReads(ds) : null;
            int count = options.integer("passes", 20);
            try (Orchestrator orchestrator = new Orchestrator(options.orchestrator(repository, null, "idle").build())) {
                for (int i = 0; i < count; i++) {
                    PassSummary pass = orchestrator.executePipelines();
                    passes.add(pass.elapsed().toNanos() / 1e6);
                }
            }
            r.put("pass_ms_median", BenchMeasures.round(BenchMeasures.median(passes)));
            r.put("pass_ms_max", BenchMeasures.round(passes.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
            if (before != null) {
                long[] after = tableReads(ds);
                r.put("rows_read_per_pass", BenchMeasures.round((after[0] - before[0]) / (double) count));
                r.put("seq_scans", after[1] - before[1]);
            }
            r.put("status", "OK");
        }
        return r;
    }

    /** @return rows read from the pipelines table (sequentially or through an index) and its sequential scans */
    private static long[] tableReads(HikariDataSource ds) throws Exception {
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
        }
        long rows = BenchDatabase.count(ds, "SELECT COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0)"
                + " FROM pg_stat_user_tables WHERE relname = 'pipelines' AND schemaname = current_schema()");
        long scans = BenchDatabase.count(ds, "SELECT COALESCE(seq_scan, 0) FROM pg_stat_user_tables"
                + " WHERE relname = 'pipelines' AND schemaname = current_schema()");
        return new long[] {rows, scans};
    }
}
