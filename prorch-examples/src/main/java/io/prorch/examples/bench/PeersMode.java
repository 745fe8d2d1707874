package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.repository.IRepository;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --mode peers}, the default: the peer harness's workload through prorch's engine, so that the harness measures
 * prorch in the same rounds as its peers. Three-step processes are submitted one by one with {@code start()} while the
 * orchestrator runs, each step's completion committed before the next step runs. Options: {@code --n} (2000),
 * {@code --warmup} (500), {@code --timeout} seconds (120), {@code --workers} (4), {@code --batch} (200),
 * {@code --submitters} (1: threads sharing the submissions, each start one durable call), {@code --history off} (the
 * store drops the history entries, {@link WithoutHistory}: what writing history costs).
 */
final class PeersMode {
    private PeersMode() {
    }

    /** @return the RESULT line's fields, in the harness's order */
    static Map<String, Object> run(BenchOptions options) throws Exception {
        int warmup = options.integer("warmup", 500);
        int n = options.integer("n", 2000);
        int submitters = options.integer("submitters", 1);
        long deadline = System.nanoTime() + options.integer("timeout", 120) * 1_000_000_000L;
        ProcessTracker tracker = new ProcessTracker(warmup + n);
        Map<String, Object> r = new LinkedHashMap<>();
        boolean history = !"off".equals(options.text("history", "on"));
        r.put("config", "prorch start() hand-off, group commit, workers=" + options.integer("workers", 4) + ", pool=8"
                + (history ? "" : ", history off"));
        r.put("n", n);
        r.put("warmup", warmup);
        String status;
        long[] before = null;
        try (HikariDataSource ds = options.freshDatabase()) {
            JdbcRepository store = JdbcRepository.create(ds);
            IRepository repository = history ? store : new WithoutHistory(store);
            if (options.pg()) {
                // count the workload, not the schema setup: idle backends report their statistics within a second
                Thread.sleep(1100);
                before = BenchDatabase.pgStats();
            }
            try (Orchestrator orchestrator =
                         new Orchestrator(options.orchestrator(repository, tracker, "bench").build())) {
                orchestrator.startPolling(Duration.ofMillis(100));
                status = PeersWorkload.run(r, tracker, ds, warmup, n, deadline, PeersWorkload.submitters(
                        submitters, id -> orchestrator.start(BenchSteps.Chain.class, Map.of("id", id))), () -> false);
            }
        }
        if (before != null) {
            BenchMeasures.putPgStats(r, before, warmup + n);
        }
        r.put("violations", tracker.violations.get());
        r.put("status", status);
        r.put("submitters", submitters);
        return r;
    }

}
