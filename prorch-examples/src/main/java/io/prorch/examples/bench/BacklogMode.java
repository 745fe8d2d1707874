package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.jdbc.JdbcRepository;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --mode backlog}: draining a backlog, which the peers' workload never builds up. {@code --pipelines} (100,000)
 * three-step pipelines, already due, are written straight into the store; then {@code --orchestrators} (1) drain them,
 * each polling every millisecond, until all ran or {@code --timeout} seconds (600) passed. Reports the transitions per
 * second and the heap's peak, which should not grow with the backlog. Also {@code --workers} (4), {@code --batch}
 * (200).
 */
final class BacklogMode {
    private BacklogMode() {
    }

    /** @return the RESULT line's fields: the drain's rate, the peak heap, and on PostgreSQL its counters */
    static Map<String, Object> run(BenchOptions options) throws Exception {
        int pipelines = options.integer("pipelines", 100_000);
        int orchestrators = options.integer("orchestrators", 1);
        ProcessTracker tracker = new ProcessTracker(pipelines);
        long[] before = null;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch backlog drain, orchestrators=" + orchestrators + ", batch="
                + options.integer("batch", 200));
        r.put("pipelines", pipelines);
        try (HikariDataSource ds = options.freshDatabase()) {
            JdbcRepository repository = JdbcRepository.create(ds);
            long loadStart = System.nanoTime();
            BenchRecords.insert(repository, pipelines, "Chain", BenchRecords.CHAIN_STEPS, i -> Map.of("id", i),
                    Instant.now().minusSeconds(1));
            r.put("load_s", BenchMeasures.round((System.nanoTime() - loadStart) / 1e9));
            before = options.pg() ? BenchDatabase.pgStats() : null;
            System.gc();
            HeapPeak heap = new HeapPeak();
            List<Orchestrator> running = new ArrayList<>();
            CpuMeter cpu = CpuMeter.start(); // before the clock starts: reading /proc takes milliseconds
            long t0 = System.nanoTime();
            for (int i = 0; i < orchestrators; i++) {
                Orchestrator o = new Orchestrator(options.orchestrator(repository, tracker, "drain-" + i).build());
                o.startPolling(Duration.ofMillis(1));
                running.add(o);
            }
            long deadline = t0 + options.integer("timeout", 600) * 1_000_000_000L;
            while (tracker.done.get() < pipelines && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long t1 = System.nanoTime();
            running.forEach(Orchestrator::close);
            cpu.put(r, tracker.done.get());
            double wall = (t1 - t0) / 1e9;
            r.put("wall_ms", BenchMeasures.round((t1 - t0) / 1e6));
            r.put("transitions_s", BenchMeasures.round(tracker.steps.get() / wall));
            r.put("procs_s", BenchMeasures.round(tracker.done.get() / wall));
            r.put("ops_s", BenchMeasures.round(tracker.steps.get() / wall));
            r.put("unit", "transitions/s");
            r.put("peak_heap_mb", BenchMeasures.round(heap.peakBytes() / 1048576.0));
            r.put("completed", tracker.done.get());
            r.put("violations", tracker.violations.get());
            r.put("status", tracker.done.get() == pipelines ? "OK" : "TIMEOUT");
        }
        if (before != null) {
            BenchMeasures.putPgStats(r, before, pipelines);
        }
        return r;
    }

    /** The heap's peak use since it was made, from the JVM's heap memory pools (their peaks, reset at the start). */
    private static final class HeapPeak {
        private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();

        HeapPeak() {
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        }

        long peakBytes() {
            return pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        }
    }
}
