package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.jdbc.JdbcRepository;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --mode starts}: the submission alone. The records a {@code start()} saves for a pipeline of three steps
 * (claimed by this process, as a start that hands off to the local workers) are saved one by one from one thread, each
 * durably committed before the next, as in {@link PeersMode} but with nothing executing beside them: the bound a
 * single submitting thread sets on the peers' workload. Options: {@code --n} (2000), {@code --warmup} (500).
 */
final class StartsMode {
    private StartsMode() {
    }

    /** @return the RESULT line's fields: the starts' rate and latencies, and how many were saved */
    static Map<String, Object> run(BenchOptions options) throws Exception {
        int warmup = options.integer("warmup", 500);
        int n = options.integer("n", 2000);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch start statement alone, nothing executing, pool=8");
        r.put("n", n);
        r.put("warmup", warmup);
        try (HikariDataSource ds = options.freshDatabase()) {
            JdbcRepository repository = JdbcRepository.create(ds);
            PeersWorkload.Submitter starts = PeersWorkload.submitters(options.integer("submitters", 1),
                    id -> BenchRecords.saveStart(repository, id, records -> { }));
            starts.submit(0, warmup);
            long t0 = System.nanoTime();
            long[] latencies = starts.submit(warmup, n);
            double wall = (System.nanoTime() - t0) / 1e9;
            r.put("wall_ms", BenchMeasures.round(wall * 1000));
            r.put("starts_s", BenchMeasures.round(n / wall));
            r.put("ops_s", BenchMeasures.round(n / wall));
            r.put("unit", "starts/s");
            r.put("start_mean_ms", BenchMeasures.round(wall * 1000 / n));
            BenchMeasures.putLatencies(r, latencies);
            long saved = BenchDatabase.count(ds, "SELECT COUNT(*) FROM pipelines WHERE claim_owner = 'bench'");
            r.put("saved", saved);
            r.put("status", saved == warmup + n ? "OK" : "ERROR saved " + saved + " of " + (warmup + n));
        }
        return r;
    }
}
