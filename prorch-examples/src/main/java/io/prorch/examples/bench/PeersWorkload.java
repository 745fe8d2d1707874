package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * One run of the peer harness's workload, whoever executes the steps ({@link PeersMode} through the engine,
 * {@link StoreMode} without it): the warm-up processes, then the measured ones, each phase over once every step ran and
 * the database shows every pipeline finished, as the harness measures its peers.
 */
final class PeersWorkload {
    private PeersWorkload() {
    }

    /** Submits processes of the peers' workload. */
    @FunctionalInterface
    interface Submitter {
        /**
         * Submits processes {@code from} to {@code from + count - 1}, each with one durable call.
         *
         * @return how long each submission took, in nanoseconds
         */
        long[] submit(int from, int count) throws Exception;
    }

    /** Submits one process: one durable call. */
    @FunctionalInterface
    interface Submission {
        void submit(int id) throws Exception;
    }

    /**
     * @param threads how many threads share the submissions ({@code --submitters}, the harness's {@code SUBMITTERS}):
     *     each takes the next process id and makes one call for it, like the request threads of an application
     * @return a submitter of {@code one} call per process
     * @throws IllegalArgumentException if {@code threads} is below 1
     */
    static Submitter submitters(int threads, Submission one) {
        if (threads < 1) {
            throw new IllegalArgumentException("--submitters must be at least 1, but was " + threads);
        }
        return (from, count) -> {
            long[] latencies = new long[count];
            AtomicInteger next = new AtomicInteger();
            AtomicReference<Exception> failure = new AtomicReference<>();
            Runnable loop = () -> {
                for (int i = next.getAndIncrement(); i < count && failure.get() == null; i = next.getAndIncrement()) {
                    long started = System.nanoTime();
                    try {
                        one.submit(from + i);
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                    latencies[i] = System.nanoTime() - started;
                }
            };
            if (threads == 1) {
                loop.run();
            } else {
                List<Thread> started = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Thread thread = new Thread(loop, "bench-submitter-" + t);
                    thread.start();
                    started.add(thread);
                }
                for (Thread thread : started) {
                    thread.join();
                }
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            return latencies;
        };
    }

    /**
     * Runs the peers' workload: submits the {@code warmup} processes and waits for them, then submits the {@code n}
     * measured ones, waits until they all ran and the database shows it, and puts the harness's figures into
     * {@code r}. Stops waiting once {@code failed} says so.
     *
     * @return OK, TIMEOUT_IN_WARMUP or TIMEOUT (a timeout with the stall on stderr)
     */
    static String run(Map<String, Object> r, ProcessTracker tracker, HikariDataSource ds, int warmup, int n,
                      long deadline, Submitter submit, BooleanSupplier failed) throws Exception {
        submit.submit(0, warmup);
        if (!awaitOrDump(tracker, ds, warmup, deadline, failed)) {
            return "TIMEOUT_IN_WARMUP";
        }
        long steps0 = tracker.steps.get();
        CpuMeter cpu = CpuMeter.start(); // before the clock starts: reading /proc takes milliseconds
        long t0 = System.nanoTime();
        tracker.startPhase(t0);
        long[] latencies = submit.submit(warmup, n);
        long submitted = System.nanoTime();
        boolean ok = awaitOrDump(tracker, ds, warmup + n, deadline, failed);
        long t1 = System.nanoTime();
        cpu.put(r, n);
        double wall = (t1 - t0) / 1e9;
        long first = tracker.firstStepNanos.get();
        r.put("wall_ms", BenchMeasures.round((t1 - t0) / 1e6));
        r.put("submit_ms", BenchMeasures.round((submitted - t0) / 1e6));
        r.put("first_step_ms", first == 0 ? -1 : BenchMeasures.round((first - t0) / 1e6));
        r.put("procs_s", BenchMeasures.round((tracker.done.get() - warmup) / wall));
        r.put("steps_s", BenchMeasures.round((tracker.steps.get() - steps0) / wall));
        r.put("ops_s", BenchMeasures.round((tracker.steps.get() - steps0) / wall));
        r.put("unit", "steps/s");
        r.put("max_gap_ms", BenchMeasures.round(tracker.maxGapNanos.get() / 1e6));
        r.put("completed", tracker.done.get() - warmup);
        BenchMeasures.putLatencies(r, latencies);
        return ok ? "OK" : "TIMEOUT";
    }

    /**
     * Waits until the steps ran and the database shows {@code total} finished pipelines; on a timeout (not once
     * {@code failed} says so) dumps the stall.
     */
    private static boolean awaitOrDump(ProcessTracker tracker, HikariDataSource ds, long total, long deadline,
                                       BooleanSupplier failed) throws Exception {
        if (await(tracker, ds, total, deadline, failed)) {
            return true;
        }
        if (!failed.getAsBoolean()) {
            dumpStall(tracker, ds, total);
        }
        return false;
    }

    /** Waits until the steps ran and the database shows {@code total} finished pipelines, or {@code failed}. */
    private static boolean await(ProcessTracker tracker, HikariDataSource ds, long total, long deadline,
                                 BooleanSupplier failed) throws Exception {
        while (tracker.done.get() < total) {
            if (System.nanoTime() > deadline || failed.getAsBoolean()) {
                return false;
            }
            Thread.sleep(1);
        }
        while (BenchDatabase.count(ds, "SELECT COUNT(*) FROM pipelines WHERE status = 'finished'") < total) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /** After a timeout: what was done, what the database shows, and every thread's stack, on stderr. */
    private static void dumpStall(ProcessTracker tracker, HikariDataSource ds, long expected) {
        StringBuilder dump = new StringBuilder("prorch bench timed out: " + tracker.done.get() + " of " + expected
                + " processes ran their last step, " + tracker.steps.get() + " steps in all");
        try {
            dump.append("; the database shows pipelines ").append(BenchDatabase.statuses(ds, "pipelines"))
                    .append(", steps ").append(BenchDatabase.statuses(ds, "pipeline_steps"));
        } catch (Exception e) {
            dump.append("; the database could not be read: ").append(e);
        }
        dump.append('\n');
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
            for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
            }
        });
        System.err.println(dump);
    }
}
