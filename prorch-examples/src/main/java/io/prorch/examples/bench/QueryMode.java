package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.PipelineCounts;
import io.prorch.PipelinePage;
import io.prorch.PipelineQuery;
import io.prorch.Status;
import io.prorch.jdbc.JdbcRepository;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code --mode query} (PostgreSQL only): what an operator's page costs beside a large history. {@code --finished}
 * (1,000,000) finished pipelines, a fiftieth as many failed and a hundredth cancelled, and {@code --pending} (10,000)
 * pending ones are loaded with one {@code INSERT ... SELECT generate_series} each (pipelines only: lists and counts
 * never read steps), then analyzed as autovacuum would. Reported: the median and worst of {@code --rounds} (30) first
 * pages of 50 failed pipelines, of the next page through its cursor, and of {@link Orchestrator#counts()}, beside an
 * exact {@code GROUP BY} for comparison and the estimate's error. Its own schema, {@code b_prorch_query}, so it never
 * drops the schema the other modes use.
 */
final class QueryMode {
    private static final String SCHEMA = "b_prorch_query";

    private QueryMode() {
    }

    /** @return the RESULT line's fields */
    static Map<String, Object> run(BenchOptions options) throws Exception {
        if (!options.pg()) {
            throw new IllegalArgumentException("--mode query runs on PostgreSQL only (--db pg)");
        }
        int finished = options.integer("finished", 1_000_000);
        int pending = options.integer("pending", 10_000);
        int rounds = options.integer("rounds", 30);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch query/counts beside " + finished + " finished and " + pending + " pending");
        BenchDatabase.admin("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE", "CREATE SCHEMA " + SCHEMA);
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench-query");
        config.setMaximumPoolSize(2);
        config.setJdbcUrl(BenchDatabase.PG_URL + (BenchDatabase.PG_URL.contains("?") ? "&" : "?") + "currentSchema="
                + SCHEMA);
        config.setUsername(BenchDatabase.PG_USER);
        config.setPassword(BenchDatabase.PG_PASSWORD);
        try (HikariDataSource ds = new HikariDataSource(config)) {
            JdbcRepository repository = JdbcRepository.create(ds);
            long start = System.nanoTime();
            load(ds, finished, pending);
            r.put("load_s", BenchMeasures.round((System.nanoTime() - start) / 1e9));
            try (Orchestrator orchestrator = new Orchestrator(options.orchestrator(repository, null, "query")
                    .build())) {
                PipelineQuery failed = PipelineQuery.builder().status(Status.FAILED).limit(50).build();
                PipelinePage first = orchestrator.query(failed);
                PipelineQuery next = PipelineQuery.builder().status(Status.FAILED).limit(50)
                        .after(first.nextCursor()).build();
                put(r, "page_ms", rounds, () -> orchestrator.query(failed).items().size());
                put(r, "next_page_ms", rounds, () -> orchestrator.query(next).items().size());
                put(r, "counts_ms", rounds, () -> orchestrator.counts().total());
                PipelineCounts counts = orchestrator.counts();
                long exactStart = System.nanoTime();
                long exactFinished = BenchDatabase.count(ds,
                        "SELECT COUNT(*) FROM pipelines WHERE status = 'finished'");
                BenchDatabase.count(ds, "SELECT COUNT(*) FROM (SELECT name, status, COUNT(*) FROM pipelines"
                        + " GROUP BY name, status) g");
                r.put("exact_group_by_ms", BenchMeasures.round((System.nanoTime() - exactStart) / 1e6));
                r.put("counts_estimated", counts.estimated());
                r.put("finished_counted", counts.count(Status.FINISHED));
                r.put("finished_exact", exactFinished);
                r.put("failed_counted", counts.count(Status.FAILED));
                r.put("page_items", first.items().size());
            }
            r.put("status", "OK");
        } finally {
            BenchDatabase.admin("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        return r;
    }

    private static void put(Map<String, Object> r, String key, int rounds, Supplier<Object> call) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            call.get();
            times.add((System.nanoTime() - start) / 1e6);
        }
        r.put(key + "_median", BenchMeasures.round(BenchMeasures.median(times)));
        r.put(key + "_max", BenchMeasures.round(times.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
    }

    private static void load(HikariDataSource ds, int finished, int pending) throws Exception {
        String columns = "INSERT INTO pipelines (uuid, name, status, step_names, current_step, metadata, version,"
                + " created_at, updated_at, due_at, claim_owner, claim_expires_at, last_error, idempotency_key) ";
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            // ended pipelines over the last ~30 days, five names; failed and cancelled ones carry their error
            s.execute(columns + "SELECT gen_random_uuid(), 'Chain' || (i % 5), CASE WHEN i % 50 = 0 THEN 'failed'"
                    + " WHEN i % 100 = 1 THEN 'cancelled' ELSE 'finished' END, '[\"Step1\",\"Step2\",\"Step3\"]',"
                    + " 2, '{\"id\": 1}', 6, now() - make_interval(secs => i * 2.5),"
                    + " now() - make_interval(secs => i * 2.5 - 1), NULL, NULL, NULL,"
                    + " CASE WHEN i % 50 = 0 THEN 'Step \"Step3\" failed after 3 attempts: java.io.IOException: down'"
                    + " END, 'order-' || i FROM generate_series(1, " + (finished + finished / 50 + finished / 100)
                    + ") i");
            s.execute(columns + "SELECT gen_random_uuid(), 'Chain' || (i % 5), 'pending',"
                    + " '[\"Step1\",\"Step2\",\"Step3\"]', 1, '{}', 2, now(), now(), now() + interval '1 day',"
                    + " NULL, NULL, NULL, NULL FROM generate_series(1, " + pending + ") i");
            s.execute("VACUUM ANALYZE pipelines");
        }
    }
}
