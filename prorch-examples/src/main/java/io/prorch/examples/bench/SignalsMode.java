package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.jdbc.JdbcRepository;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code --mode signals}: how fast a signal wakes the pipeline that waits for it. {@code --n} (2000) pipelines each
 * start a step that awaits the signal {@code go}; once the database shows them all waiting, {@code --submitters} (1)
 * threads send one signal to each. Reported: signals per second end to end (first send until every hook ran and the
 * database shows every pipeline finished), and the wake latency of each pipeline, from its send's return to its hook
 * reading the signal (p50, p99, max), with {@code lost} (signals still pending at the end) and {@code duplicates}
 * (a signal a hook read twice).
 *
 * <p>In this JVM both times are {@code System.nanoTime}, and the sending orchestrator is the waiting one, so its polling
 * loop is asked to claim the pipeline at once. With {@code --signal-jvm} the signals are sent by a second JVM
 * ({@link SignalSenderMain}, the same class path, on the same database; PostgreSQL only, as an H2 file is opened by one
 * process): the waiting orchestrator hears of each through PostgreSQL's {@code LISTEN/NOTIFY} and claims it at once;
 * its poll, every {@code --poll-ms} (100), is only the fallback. Across JVMs both times are the wall clock (microseconds,
 * one machine). {@code --rate} (0: as fast as the senders go) paces the sends to that many per second in total, so
 * that the wake latency is measured apart from the queue a flood of sends builds. Also {@code --timeout} seconds
 * (120), {@code --workers} (4), {@code --batch} (200).
 */
final class SignalsMode {
    /** The signal every pipeline waits for. */
    static final String SIGNAL = "go";

    private SignalsMode() {
    }

    /** @return the RESULT line's fields */
    static Map<String, Object> run(BenchOptions options) throws Exception {
        int n = options.integer("n", 2000);
        int submitters = options.integer("submitters", 1);
        int pollMs = options.integer("poll-ms", 100);
        int rate = options.integer("rate", 0);
        boolean otherJvm = options.flag("signal-jvm");
        if (submitters < 1) {
            throw new IllegalArgumentException("--submitters must be at least 1, but was " + submitters);
        }
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must be 0 (as fast as possible) or more, but was " + rate);
        }
        if (otherJvm && !options.pg()) {
            throw new IllegalArgumentException("--signal-jvm needs --db pg: an H2 file is opened by one process");
        }
        long deadline = System.nanoTime() + options.integer("timeout", 120) * 1_000_000_000L;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch signals " + (otherJvm ? "from another JVM, woken by LISTEN/NOTIFY" : "in one JVM")
                + ", workers=" + options.integer("workers", 4) + ", poll=" + pollMs + "ms, pool=8"
                + (rate > 0 ? ", paced at " + rate + " sends/s" : ""));
        r.put("n", n);
        Wakes wakes = new Wakes(n, otherJvm);
        String status;
        try (HikariDataSource ds = options.freshDatabase()) {
            JdbcRepository repository = JdbcRepository.create(ds);
            try (Orchestrator orchestrator = new Orchestrator(config(options, repository, wakes, "signals").build())) {
                orchestrator.startPolling(Duration.ofMillis(pollMs));
                UUID[] ids = new UUID[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = orchestrator.start(Signalled.class, Map.of("id", i));
                }
                if (!awaitWaiting(wakes, ds, n, deadline)) {
                    r.put("status", "TIMEOUT_BEFORE_SIGNALS waiting=" + wakes.started.get());
                    return r;
                }
                long[] sent;   // when each send returned: nanoTime here, epoch microseconds across JVMs
                long t0;
                if (otherJvm) {
                    long[] firstAndSent = sendFromOtherJvm(options, ids, submitters, rate);
                    t0 = firstAndSent[0];
                    sent = Arrays.copyOfRange(firstAndSent, 1, firstAndSent.length);
                } else {
                    sent = new long[n];
                    t0 = System.nanoTime();
                    long start = t0;
                    long[] durations = PeersWorkload.submitters(submitters, i -> {
                        pace(start, i, rate);
                        orchestrator.signal(ids[i], SIGNAL, Map.of("i", i));
                        sent[i] = System.nanoTime();
                    }).submit(0, n);
                    r.put("send_p50_ms", BenchMeasures.round(percentile(durations, 50) / 1e6));
                }
                boolean ok = awaitFinished(wakes, ds, n, deadline);
                long t1 = otherJvm ? epochMicros() * 1000 : System.nanoTime();
                long elapsed = otherJvm ? t1 - t0 * 1000 : t1 - t0;
                long[] latencies = new long[n];
                long early = 0;
                for (int i = 0; i < n; i++) {
                    long woke = wakes.woke.get(i);
                    long l = woke == 0 ? -1 : (otherJvm ? (woke - sent[i]) * 1000 : woke - sent[i]);
                    early += l < 0 && woke != 0 ? 1 : 0;   // the hook read it before the send had returned
                    latencies[i] = Math.max(0, l);
                }
                Arrays.sort(latencies);
                r.put("wall_ms", BenchMeasures.round(elapsed / 1e6));
                r.put("signals_s", BenchMeasures.round(wakes.finished.get() / (elapsed / 1e9)));
                r.put("wake_p50_ms", BenchMeasures.round(percentile(latencies, 50) / 1e6));
                r.put("wake_p99_ms", BenchMeasures.round(percentile(latencies, 99) / 1e6));
                r.put("wake_max_ms", BenchMeasures.round(latencies[n - 1] / 1e6));
                r.put("woken_before_send_returned", early);
                r.put("completed", wakes.finished.get());
                r.put("lost", BenchDatabase.count(ds, "SELECT COUNT(*) FROM pipeline_signals WHERE status = 'pending'"));
                r.put("duplicates", wakes.duplicates.get());
                status = ok ? "OK" : "TIMEOUT";
            }
        }
        r.put("status", status);
        r.put("submitters", submitters);
        return r;
    }

    static OrchestratorConfig.Builder config(BenchOptions options, JdbcRepository repository, Wakes wakes, String id) {
        return OrchestratorConfig.builder().repository(repository).register(Signalled.class)
                .stepFactory(type -> new AwaitsGo(wakes))
                .workerThreads(options.integer("workers", 4)).batchSize(options.integer("batch", 200))
                .claimDuration(Duration.ofSeconds(30)).orchestratorId(id);
    }

    /** Waits until every step started and the database shows every pipeline released, waiting for its signal. */
    private static boolean awaitWaiting(Wakes wakes, HikariDataSource ds, int n, long deadline) throws Exception {
        while (wakes.started.get() < n
                || BenchDatabase.count(ds, "SELECT COUNT(*) FROM pipelines WHERE status = 'pending'"
                        + " AND claim_owner IS NULL") < n) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Waits until every hook read its signal and the database shows every pipeline finished. */
    private static boolean awaitFinished(Wakes wakes, HikariDataSource ds, int n, long deadline) throws Exception {
        while (wakes.finished.get() < n) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        while (BenchDatabase.count(ds, "SELECT COUNT(*) FROM pipelines WHERE status = 'finished'") < n) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /**
     * Runs {@link SignalSenderMain} in a second JVM on the ids, and reads what it prints.
     *
     * @return the first send's start, then each send's return, in epoch microseconds
     */
    private static long[] sendFromOtherJvm(BenchOptions options, UUID[] ids, int submitters, int rate)
            throws Exception {
        Path file = Files.createTempFile("prorch-signal-ids", ".txt");
        try {
            Files.write(file, Arrays.stream(ids).map(UUID::toString).toList());
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SignalSenderMain.class.getName(),
                    "--db", options.db(), "--ids", file.toString(), "--submitters", String.valueOf(submitters),
                    "--rate", String.valueOf(rate)));
            Process sender = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long[] out = new long[ids.length + 1];
            String failure = null;
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(sender.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    String[] f = line.split(" ");
                    switch (f[0]) {
                        case "FIRST" -> out[0] = Long.parseLong(f[1]);
                        case "SENT" -> out[1 + Integer.parseInt(f[1])] = Long.parseLong(f[2]);
                        case "ERROR" -> failure = line;
                        default -> { }
                    }
                }
            }
            int exit = sender.waitFor();
            if (exit != 0 || failure != null) {
                throw new IllegalStateException("the signal sender JVM exited with " + exit + ": " + failure);
            }
            return out;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Sleeps until send {@code i} is due at {@code rate} sends per second from {@code startNanos}; 0: no pacing. */
    static void pace(long startNanos, int i, int rate) throws InterruptedException {
        if (rate > 0) {
            long wait = startNanos + i * 1_000_000_000L / rate - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }

    /** What the hooks saw: steps that waited, when each signal was read, reads of one signal twice. */
    static final class Wakes {
        final AtomicLong started = new AtomicLong();
        final AtomicLong finished = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLongArray woke;
        final AtomicIntegerArray reads;
        final boolean isOtherJvm;

        Wakes(int n, boolean isOtherJvm) {
            this.isOtherJvm = isOtherJvm;
            woke = new AtomicLongArray(n);
            reads = new AtomicIntegerArray(n);
        }
    }

    /** Waits for {@code go}, then finishes; records when it read it (both clocks, as the sender's JVM is unknown). */
    @Step(name = "AwaitsGo")
    public static final class AwaitsGo implements OnStart, OnContinue {
        private final Wakes wakes;

        AwaitsGo(Wakes wakes) {
            this.wakes = wakes;
        }

        @Override
        public void onStart(StepContext ctx) {
            ctx.awaitSignal(SIGNAL, Duration.ofMinutes(30));
            if (wakes != null) {
                wakes.started.incrementAndGet();
            }
        }

        @Override
        public void onContinue(StepContext ctx) {
            ctx.signal(SIGNAL).ifPresent(s -> {
                long nanos = System.nanoTime();
                long micros = epochMicros();
                int i = ((Number) s.payload().get("i")).intValue();
                if (wakes != null) {
                    if (wakes.reads.getAndIncrement(i) > 0) {
                        wakes.duplicates.incrementAndGet();
                    } else {
                        wakes.woke.set(i, wakes.isOtherJvm ? micros : nanos);
                        wakes.finished.incrementAndGet();
                    }
                }
                ctx.finish();
            });
        }
    }

    /** A pipeline of one step that waits for {@code go}. */
    @Pipeline(name = "Signalled", steps = AwaitsGo.class)
    public static final class Signalled {
    }
}
