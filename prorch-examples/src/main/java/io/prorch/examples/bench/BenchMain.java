package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PassSummary;
import io.prorch.Status;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * prorch's benchmark. Mode {@code peers} (the default) is the workload of {@code shared/bench-peers}: 3-step processes
 * submitted one by one while the orchestrator runs, each step's completion committed before the next step runs; it
 * prints the harness's RESULT line, so {@code PRORCH_CMD="java -jar prorch-examples.jar-path ..." run.sh pg} measures
 * prorch in the same rounds as its peers. The other modes measure what the peers' workload does not:
 * {@code backlog} (draining 100,000 due pipelines with 1-4 orchestrators, and peak heap), {@code history} (a pass over
 * 1,000 due pipelines beside many finished ones) and {@code idle} (a pass when 100,000 pipelines wait and none is due).
 * {@code starts} measures what bounds the peers' workload on PostgreSQL: the records a {@code start()} saves, saved one
 * by one from one thread as in {@code peers}, with nothing executing beside them. {@code store} runs the peers'
 * workload without the engine, by a hand-rolled loop over prorch's store: what prorch's records and tables cost.
 *
 * <pre>
 * java -cp prorch-examples/target/prorch-examples.jar io.prorch.examples.bench.BenchMain --db pg --n 2000 --warmup 500
 * </pre>
 */
public final class BenchMain {
    /** The step names of {@link BenchSteps.Chain}, the peers' workload. */
    private static final List<String> CHAIN_STEPS = List.of("Step1", "Step2", "Step3");

    private final Map<String, String> args;
    private final String db;

    private BenchMain(Map<String, String> args) {
        this.args = args;
        this.db = args.getOrDefault("db", "pg");
    }

    /** Runs the mode named by {@code --mode}, prints its RESULT line, and exits (stray threads must not linger). */
    public static void main(String[] argv) {
        System.out.println(run(argv));
        System.exit(0);
    }

    /** @return the RESULT line of the mode named by {@code --mode} (an ERROR status instead of an exception) */
    public static String run(String... argv) {
        Map<String, String> args = parse(argv);
        BenchMain bench = new BenchMain(args);
        Map<String, Object> result;
        try {
            result = switch (args.getOrDefault("mode", "peers")) {
                case "peers" -> bench.peers();
                case "backlog" -> bench.backlog();
                case "history" -> bench.history();
                case "idle" -> bench.idle();
                case "starts" -> bench.starts();
                case "store" -> bench.store();
                default -> throw new IllegalArgumentException(
                        "--mode must be peers, backlog, history, idle, starts or store");
            };
        } catch (Exception e) {
            result = new LinkedHashMap<>();
            result.put("config", "prorch " + args.getOrDefault("mode", "peers"));
            result.put("status", "ERROR " + e.toString().replace('\t', ' ').replace('\n', ' '));
        }
        StringBuilder line = new StringBuilder("RESULT\tsystem=prorch\tdb=").append(bench.db);
        result.forEach((k, v) -> line.append('\t').append(k).append('=').append(v));
        return line.toString();
    }

    private int integer(String key, int fallback) {
        return args.containsKey(key) ? Integer.parseInt(args.get(key)) : fallback;
    }

    private OrchestratorConfig.Builder config(JdbcRepository repository, ProcessTracker tracker, String id) {
        return OrchestratorConfig.builder().repository(repository)
                .register(BenchSteps.Chain.class, BenchSteps.Waiting.class)
                .stepFactory(type -> type == BenchSteps.Waits.class ? new BenchSteps.Waits()
                        : type.getConstructor(ProcessTracker.class).newInstance(tracker))
                .workerThreads(integer("workers", 4)).batchSize(integer("batch", 200))
                .claimDuration(Duration.ofSeconds(30)).orchestratorId(id);
    }

    // ---------------------------------------------------------------- peers: the harness's workload

    private Map<String, Object> peers() throws Exception {
        int warmup = integer("warmup", 500);
        int n = integer("n", 2000);
        long deadline = System.nanoTime() + integer("timeout", 120) * 1_000_000_000L;
        ProcessTracker tracker = new ProcessTracker(warmup + n);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch start() hand-off, group commit, workers=" + integer("workers", 4) + ", pool=8");
        r.put("n", n);
        r.put("warmup", warmup);
        String status;
        long[] before = null;
        try (HikariDataSource ds = BenchDatabase.fresh(db, 8, args.getOrDefault("h2-dir", BenchDatabase.H2_DIR))) {
            JdbcRepository repository = JdbcRepository.create(ds);
            if (db.equals("pg")) {
                // count the workload, not the schema setup: idle backends report their statistics within a second
                Thread.sleep(1100);
                before = BenchDatabase.pgStats();
            }
            try (Orchestrator orchestrator = new Orchestrator(config(repository, tracker, "bench").build())) {
                orchestrator.startPolling(Duration.ofMillis(100));
                status = runWorkload(r, tracker, ds, warmup, n, deadline,
                        (from, count) -> submit(orchestrator, from, count), () -> false);
            }
        }
        if (before != null) {
            putPgStats(r, before, warmup + n);
        }
        r.put("violations", tracker.violations.get());
        r.put("status", status);
        return r;
    }

    /**
     * Runs the peers' workload: submits the {@code warmup} processes and waits for them, then submits the {@code n}
     * measured ones, waits until they all ran and the database shows it, and puts the harness's figures into
     * {@code r}. Stops waiting once {@code failed} says so.
     *
     * @return OK, TIMEOUT_IN_WARMUP or TIMEOUT (a timeout with the stall on stderr)
     */
    private static String runWorkload(Map<String, Object> r, ProcessTracker tracker, HikariDataSource ds, int warmup,
                                      int n, long deadline, Submitter submit, BooleanSupplier failed)
            throws Exception {
        submit.submit(0, warmup);
        if (!awaitOrDump(tracker, ds, warmup, deadline, failed)) {
            return "TIMEOUT_IN_WARMUP";
        }
        long steps0 = tracker.steps.get();
        long t0 = System.nanoTime();
        tracker.startPhase(t0);
        long[] latencies = submit.submit(warmup, n);
        long submitted = System.nanoTime();
        boolean ok = awaitOrDump(tracker, ds, warmup + n, deadline, failed);
        long t1 = System.nanoTime();
        double wall = (t1 - t0) / 1e9;
        long first = tracker.firstStepNanos.get();
        r.put("wall_ms", round((t1 - t0) / 1e6));
        r.put("submit_ms", round((submitted - t0) / 1e6));
        r.put("first_step_ms", first == 0 ? -1 : round((first - t0) / 1e6));
        r.put("procs_s", round((tracker.done.get() - warmup) / wall));
        r.put("steps_s", round((tracker.steps.get() - steps0) / wall));
        r.put("ops_s", round((tracker.steps.get() - steps0) / wall));
        r.put("unit", "steps/s");
        r.put("max_gap_ms", round(tracker.maxGapNanos.get() / 1e6));
        r.put("completed", tracker.done.get() - warmup);
        putLatencies(r, latencies);
        return ok ? "OK" : "TIMEOUT";
    }

    /** Submits processes of the peers' workload. */
    @FunctionalInterface
    private interface Submitter {
        /**
         * Submits processes {@code from} to {@code from + count - 1}, one by one.
         *
         * @return how long each submission took, in nanoseconds
         */
        long[] submit(int from, int count) throws Exception;
    }

    /** @return how long each start took, in nanoseconds */
    private static long[] submit(Orchestrator orchestrator, int from, int count) {
        long[] latencies = new long[count];
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            orchestrator.start(BenchSteps.Chain.class, Map.of("id", from + i));
            latencies[i] = System.nanoTime() - started;
        }
        return latencies;
    }

    /** Adds the distribution of the measured starts' latencies: where a slow run loses its time. */
    private static void putLatencies(Map<String, Object> r, long[] latencies) {
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

    // ---------------------------------------------------------------- starts: the submission alone

    /**
     * The records {@code Engine.start} saves for a pipeline of three steps (claimed by this process, as a start that
     * hands off to the local workers), saved one by one from one thread, each durably committed before the next, as
     * in {@code peers} but with no orchestrator executing beside them: the bound a single submitting thread sets.
     */
    private Map<String, Object> starts() throws Exception {
        int warmup = integer("warmup", 500);
        int n = integer("n", 2000);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch start statement alone, one thread, nothing executing, pool=8");
        r.put("n", n);
        r.put("warmup", warmup);
        try (HikariDataSource ds = BenchDatabase.fresh(db, 8, args.getOrDefault("h2-dir", BenchDatabase.H2_DIR))) {
            JdbcRepository repository = JdbcRepository.create(ds);
            saveStarts(repository, 0, warmup, records -> { });
            long t0 = System.nanoTime();
            long[] latencies = saveStarts(repository, warmup, n, records -> { });
            double wall = (System.nanoTime() - t0) / 1e9;
            r.put("wall_ms", round(wall * 1000));
            r.put("starts_s", round(n / wall));
            r.put("ops_s", round(n / wall));
            r.put("unit", "starts/s");
            r.put("start_mean_ms", round(wall * 1000 / n));
            putLatencies(r, latencies);
            long saved = BenchDatabase.count(ds, "SELECT COUNT(*) FROM pipelines WHERE claim_owner = 'bench'");
            r.put("saved", saved);
            r.put("status", saved == warmup + n ? "OK" : "ERROR saved " + saved + " of " + (warmup + n));
        }
        return r;
    }

    /**
     * Saves processes {@code from} to {@code from + count - 1} as {@code start()} does, one by one, each handed to
     * {@code saved} once stored.
     *
     * @return how long each save (and hand-off) took, in nanoseconds
     */
    private static long[] saveStarts(JdbcRepository repository, int from, int count,
                                     Consumer<List<StoredRecord>> saved) {
        long[] latencies = new long[count];
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            Instant now = Instant.now();
            List<StoredRecord> records = newPipeline(PipelineRecord.newId(), "Chain", CHAIN_STEPS,
                    Map.of("id", from + i), now, now.plusSeconds(30), "bench");
            repository.saveAll(records);
            saved.accept(records);
            latencies[i] = System.nanoTime() - started;
        }
        return latencies;
    }

    // ---------------------------------------------------------------- store: the same records without the engine

    /**
     * The peers' workload run by the harness's hand-rolled design, but on prorch's store instead of the design's own
     * two narrow tables: the submitting thread saves what {@code start()} saves and hands the records to the workers
     * through an in-memory queue; a worker runs each step and saves its transition with one {@code updateAll} of the
     * pipeline and the step record, one commit per step, with no claim check, hook call or group commit. Beside
     * {@code peers} and the harness's hand-rolled design, it tells what prorch's records and tables cost from what its
     * engine costs.
     */
    private Map<String, Object> store() throws Exception {
        int warmup = integer("warmup", 500);
        int n = integer("n", 2000);
        int threads = integer("workers", 4);
        if (threads < 1) {
            // no worker would ever run a step: say so instead of waiting for the timeout
            throw new IllegalArgumentException("--workers must be at least 1, but was " + threads);
        }
        long deadline = System.nanoTime() + integer("timeout", 120) * 1_000_000_000L;
        ProcessTracker tracker = new ProcessTracker(warmup + n);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch store alone, hand-rolled loop (in-memory hand-off, 1 commit/step), workers=" + threads
                + ", pool=8");
        r.put("n", n);
        r.put("warmup", warmup);
        String status;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (HikariDataSource ds = BenchDatabase.fresh(db, 8, args.getOrDefault("h2-dir", BenchDatabase.H2_DIR))) {
            JdbcRepository repository = JdbcRepository.create(ds);
            BlockingQueue<List<StoredRecord>> queue = new LinkedBlockingQueue<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> storeWorker(repository, queue, tracker, failure), "store-worker-" + t);
                worker.setDaemon(true);
                worker.start();
                workers.add(worker);
            }
            try {
                status = runWorkload(r, tracker, ds, warmup, n, deadline,
                        (from, count) -> saveStarts(repository, from, count, queue::add), () -> failure.get() != null);
            } finally {
                workers.forEach(w -> queue.add(List.of()));
                for (Thread worker : workers) {
                    worker.join(5_000);
                }
            }
        }
        r.put("violations", tracker.violations.get());
        r.put("status", failure.get() == null ? status
                : "ERROR " + failure.get().toString().replace('\t', ' ').replace('\n', ' '));
        return r;
    }

    /** Runs the queued processes' steps until it takes an empty list; the first error stops it and is kept. */
    private static void storeWorker(JdbcRepository repository, BlockingQueue<List<StoredRecord>> queue,
                                    ProcessTracker tracker, AtomicReference<Throwable> failure) {
        try {
            for (List<StoredRecord> records = queue.take(); !records.isEmpty(); records = queue.take()) {
                // newPipeline puts the steps first, in order, and the pipeline last
                PipelineRecord pipeline = (PipelineRecord) records.get(records.size() - 1);
                int id = ((Number) pipeline.metadata().get("id")).intValue();
                int steps = records.size() - 1;
                for (int k = 0; k < steps; k++) {
                    tracker.step(id, k + 1);
                    Instant now = Instant.now();
                    StepRecord step = ((StepRecord) records.get(k)).withStatus(Status.FINISHED).withUpdatedAt(now);
                    PipelineRecord next = k == steps - 1
                            ? pipeline.withStatus(Status.FINISHED).withClaim(null, null).withDueAt(null)
                            .withUpdatedAt(now)
                            : pipeline.withCurrentStep(k + 1).withUpdatedAt(now);
                    pipeline = (PipelineRecord) repository.updateAll(List.of(next, step)).get(0);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    // ---------------------------------------------------------------- backlog: drain pending pipelines

    private Map<String, Object> backlog() throws Exception {
        int pipelines = integer("pipelines", 100_000);
        int orchestrators = integer("orchestrators", 1);
        ProcessTracker tracker = new ProcessTracker(pipelines);
        long[] before = null;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch backlog drain, orchestrators=" + orchestrators + ", batch=" + integer("batch", 200));
        r.put("pipelines", pipelines);
        try (HikariDataSource ds = BenchDatabase.fresh(db, 8, args.getOrDefault("h2-dir", BenchDatabase.H2_DIR))) {
            JdbcRepository repository = JdbcRepository.create(ds);
            long loadStart = System.nanoTime();
            insert(repository, pipelines, "Chain", CHAIN_STEPS, i -> Map.of("id", i),
                    Instant.now().minusSeconds(1));
            r.put("load_s", round((System.nanoTime() - loadStart) / 1e9));
            before = db.equals("pg") ? BenchDatabase.pgStats() : null;
            System.gc();
            HeapSampler heap = new HeapSampler();
            List<Orchestrator> running = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < orchestrators; i++) {
                Orchestrator o = new Orchestrator(config(repository, tracker, "drain-" + i).build());
                o.startPolling(Duration.ofMillis(1));
                running.add(o);
            }
            long deadline = t0 + integer("timeout", 600) * 1_000_000_000L;
            while (tracker.done.get() < pipelines && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long t1 = System.nanoTime();
            running.forEach(Orchestrator::close);
            heap.stop();
            double wall = (t1 - t0) / 1e9;
            r.put("wall_ms", round((t1 - t0) / 1e6));
            r.put("transitions_s", round(tracker.steps.get() / wall));
            r.put("procs_s", round(tracker.done.get() / wall));
            r.put("ops_s", round(tracker.steps.get() / wall));
            r.put("unit", "transitions/s");
            r.put("peak_heap_mb", round(heap.peakBytes() / 1048576.0));
            r.put("completed", tracker.done.get());
            r.put("violations", tracker.violations.get());
            r.put("status", tracker.done.get() == pipelines ? "OK" : "TIMEOUT");
        }
        if (before != null) {
            putPgStats(r, before, pipelines);
        }
        return r;
    }

    /** Adds PostgreSQL's commits, rows written and rows read per pipeline since {@code before} (pool closed). */
    private static void putPgStats(Map<String, Object> r, long[] before, double pipelines) throws Exception {
        Thread.sleep(2000); // closed backends flush their statistics on exit
        long[] after = BenchDatabase.pgStats();
        r.put("pg_commits_per_proc", round((after[0] - before[0]) / pipelines));
        r.put("pg_rows_written_per_proc", round((after[1] - before[1]) / pipelines));
        r.put("pg_rows_read_per_proc", round((after[2] - before[2]) / pipelines));
    }

    // ---------------------------------------------------------------- history and idle: pass cost

    private Map<String, Object> history() throws Exception {
        int finished = integer("history", 10_000);
        int due = integer("due", 1000);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch pass over " + due + " due pipelines beside " + finished + " finished");
        try (HikariDataSource ds = BenchDatabase.fresh(db, 8, args.getOrDefault("h2-dir", BenchDatabase.H2_DIR))) {
            JdbcRepository repository = JdbcRepository.create(ds);
            Instant past = Instant.now().minusSeconds(3600);
            insertFinished(repository, finished, past);
            insert(repository, due, "Waiting", List.of("Waits"), i -> Map.of(), past);
            analyze(ds);
            List<Double> passes = new ArrayList<>();
            try (Orchestrator orchestrator = new Orchestrator(config(repository, null, "history").build())) {
                // the first two or three passes measure the JIT's warm-up (110-260 ms against 60-85 after): with
                // 5 passes their median moved by 30% between runs, with 15 it is the steady pass
                for (int i = 0; i < integer("passes", 15); i++) {
                    PassSummary pass = orchestrator.executePipelines();
                    if (pass.claimed() != due) {
                        throw new IllegalStateException("a pass claimed " + pass.claimed() + ", expected " + due);
                    }
                    passes.add(pass.elapsed().toNanos() / 1e6);
                    Thread.sleep(5);
                }
            }
            r.put("pass_ms_median", round(median(passes)));
            r.put("pass_ms_all", passes.stream().map(BenchMain::round).toList().toString().replace(" ", ""));
            r.put("status", "OK");
        }
        return r;
    }

    private Map<String, Object> idle() throws Exception {
        int waiting = integer("pipelines", 100_000);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch pass with " + waiting + " pipelines waiting, none due");
        try (HikariDataSource ds = BenchDatabase.fresh(db, 8, args.getOrDefault("h2-dir", BenchDatabase.H2_DIR))) {
            JdbcRepository repository = JdbcRepository.create(ds);
            insert(repository, waiting, "Waiting", List.of("Waits"), i -> Map.of(), Instant.now().plusSeconds(3600));
            analyze(ds);
            List<Double> passes = new ArrayList<>();
            long[] before = db.equals("pg") ? tableReads(ds) : null;
            int count = integer("passes", 20);
            try (Orchestrator orchestrator = new Orchestrator(config(repository, null, "idle").build())) {
                for (int i = 0; i < count; i++) {
                    PassSummary pass = orchestrator.executePipelines();
                    passes.add(pass.elapsed().toNanos() / 1e6);
                }
            }
            r.put("pass_ms_median", round(median(passes)));
            r.put("pass_ms_max", round(passes.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
            if (before != null) {
                long[] after = tableReads(ds);
                r.put("rows_read_per_pass", round((after[0] - before[0]) / (double) count));
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

    private void analyze(HikariDataSource ds) throws Exception {
        if (db.equals("pg")) {
            try (var c = ds.getConnection(); var s = c.createStatement()) {
                s.execute("ANALYZE pipelines");
                s.execute("ANALYZE pipeline_steps");
            }
        }
    }

    /** Writes {@code count} pending pipelines due at {@code due} with their steps, 1,000 per transaction. */
    private static void insert(JdbcRepository repository, int count, String name, List<String> steps,
                               java.util.function.IntFunction<Map<String, Object>> input, Instant due) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<StoredRecord> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.addAll(newPipeline(PipelineRecord.newId(), name, steps, input.apply(i), now,
                    due.truncatedTo(ChronoUnit.MICROS), null));
            if (batch.size() >= 1000 * (steps.size() + 1) || i == count - 1) {
                repository.saveAll(batch);
                batch.clear();
            }
        }
    }

    /**
     * @return the records of a new pending pipeline, its steps (all created) first, as {@code start()} saves them: due
     *     at {@code due}, and claimed by {@code owner} until then unless {@code owner} is null
     */
    private static List<StoredRecord> newPipeline(UUID id, String name, List<String> steps, Map<String, Object> input,
                                                  Instant now, Instant due, String owner) {
        List<StoredRecord> records = new ArrayList<>(steps.size() + 1);
        for (int k = 0; k < steps.size(); k++) {
            records.add(new StepRecord(StepRecord.idOf(id, k), id, steps.get(k), k, Status.CREATED, Map.of(), 0, 0,
                    now, now, null));
        }
        records.add(new PipelineRecord(id, name, Status.PENDING, steps, 0, input, 0, now, now, due, owner,
                owner == null ? null : due, null, null));
        return records;
    }

    /** Writes {@code count} finished pipelines (the history a long-running system accumulates). */
    private static void insertFinished(JdbcRepository repository, int count, Instant when) {
        Instant at = when.truncatedTo(ChronoUnit.MICROS);
        List<StoredRecord> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = PipelineRecord.newId();
            batch.add(new StepRecord(StepRecord.idOf(id, 0), id, "Waits", 0, Status.FINISHED, Map.of(), 0, 1, at, at,
                    null));
            batch.add(new PipelineRecord(id, "Waiting", Status.FINISHED, List.of("Waits"), 0, Map.of(), 3, at, at,
                    null, null, null, null, null));
            if (batch.size() >= 5000 || i == count - 1) {
                repository.saveAll(batch);
                batch.clear();
            }
        }
    }

    /** Samples the heap's used bytes after each collection, keeping the peak. */
    private static final class HeapSampler {
        private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();

        HeapSampler() {
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        }

        void stop() {
        }

        long peakBytes() {
            return pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> values = new HashMap<>();
        List<String> rest = new ArrayList<>(Arrays.asList(argv));
        while (!rest.isEmpty()) {
            String key = rest.remove(0);
            if (!key.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + key);
            }
            values.put(key.substring(2), !rest.isEmpty() && !rest.get(0).startsWith("--") ? rest.remove(0) : "true");
        }
        return values;
    }
}
