package io.prorch.examples.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The figures the modes put into their RESULT line: rounding, medians, start latencies, PostgreSQL's counters. */
final class BenchMeasures {
    private BenchMeasures() {
    }

    /** @return {@code v} to two decimals, as every figure of the RESULT line */
    static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    /** @return the middle value of {@code values} (the upper one of an even count), 0 for none */
    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    /** Adds the distribution of the measured starts' latencies: where a slow run loses its time. */
    static void putLatencies(Map<String, Object> r, long[] latencies) {
        if (latencies.length == 0) {
            return;
        }
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        long slow = 0;
        for (long l : sorted) {
            slow += l > 5_000_000 ? l : 0;
        }
        r.put("start_p50_ms", round(sorted[sorted.length / 2] / 1e6));
        r.put("start_p90_ms", round(sorted[sorted.length * 9 / 10] / 1e6));
        r.put("start_p99_ms", round(sorted[sorted.length * 99 / 100] / 1e6));
        r.put("start_max_ms", round(sorted[sorted.length - 1] / 1e6));
        r.put("starts_over_5ms_total_ms", round(slow / 1e6));
    }

    /** Adds PostgreSQL's commits, rows written and rows read per pipeline since {@code before} (pool closed). */
    static void putPgStats(Map<String, Object> r, long[] before, double pipelines) throws Exception {
        Thread.sleep(2000); // closed backends flush their statistics on exit
        long[] after = BenchDatabase.pgStats();
        r.put("pg_commits_per_proc", round((after[0] - before[0]) / pipelines));
        r.put("pg_rows_written_per_proc", round((after[1] - before[1]) / pipelines));
        r.put("pg_rows_read_per_proc", round((after[2] - before[2]) / pipelines));
    }
}
