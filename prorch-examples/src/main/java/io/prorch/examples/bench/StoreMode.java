package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Status;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code --mode store}: the peers' workload run by the harness's hand-rolled design, but on prorch's store instead of
 * the design's own two narrow tables. The submitting thread saves what {@code start()} saves and hands the records to
 * the workers through an in-memory queue; a worker runs each step and saves its transition with one {@code updateAll}
 * of the pipeline and the step record, one commit per step, with no claim check, hook call or group commit. Beside
 * {@link PeersMode} and the harness's hand-rolled design, it separates what prorch's records and tables cost from what
 * its engine costs. Options: {@code --n} (2000), {@code --warmup} (500), {@code --timeout} seconds (120),
 * {@code --workers} (4, at least 1).
 */
final class StoreMode {
    private StoreMode() {
    }

    /** @return the RESULT line's fields, as {@link PeersMode}'s */
    static Map<String, Object> run(BenchOptions options) throws Exception {
        int warmup = options.integer("warmup", 500);
        int n = options.integer("n", 2000);
        int threads = options.integer("workers", 4);
        int submitters = options.integer("submitters", 1);
        if (threads < 1) {
            // no worker would ever run a step: say so instead of waiting for the timeout
            throw new IllegalArgumentException("--workers must be at least 1, but was " + threads);
        }
        long deadline = System.nanoTime() + options.integer("timeout", 120) * 1_000_000_000L;
        ProcessTracker tracker = new ProcessTracker(warmup + n);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch store alone, hand-rolled loop (in-memory hand-off, 1 commit/step), workers=" + threads
                + ", pool=8");
        r.put("n", n);
        r.put("warmup", warmup);
        String status;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (HikariDataSource ds = options.freshDatabase()) {
            JdbcRepository repository = JdbcRepository.create(ds);
            BlockingQueue<List<StoredRecord>> queue = new LinkedBlockingQueue<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> work(repository, queue, tracker, failure), "store-worker-" + t);
                worker.setDaemon(true);
                worker.start();
                workers.add(worker);
            }
            try {
                status = PeersWorkload.run(r, tracker, ds, warmup, n, deadline,
                        PeersWorkload.submitters(submitters,
                                id -> BenchRecords.saveStart(repository, id, queue::add)),
                        () -> failure.get() != null);
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
        r.put("submitters", submitters);
        return r;
    }

    /** Runs the queued processes' steps until it takes an empty list; the first error stops it and is kept. */
    private static void work(JdbcRepository repository, BlockingQueue<List<StoredRecord>> queue,
                             ProcessTracker tracker, AtomicReference<Throwable> failure) {
        try {
            for (List<StoredRecord> records = queue.take(); !records.isEmpty(); records = queue.take()) {
                // saveStart puts the steps first, in order, and the pipeline last
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
}
