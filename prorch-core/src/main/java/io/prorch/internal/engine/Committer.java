package io.prorch.internal.engine;

import io.prorch.repository.HistoryRecord;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StoredRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the moves of runs, grouping those of many pipelines into one {@link IRepository#updateAll} (group commit):
 * while a write is in progress the next ones queue up and go together. Up to {@link #WRITES_IN_FLIGHT} groups are
 * written at once, on writer threads of their own, so that the database executes one while the next is prepared; a run
 * is in at most one of them, and its moves that arrive meanwhile wait for the next group after its write ended, so its
 * records are always made from its last committed ones. A run goes on only from {@link Sink#committed}, so each
 * pipeline's move is committed before its next hook runs. On a store without atomic batches
 * ({@link IRepository#atomicBatches()}), each pipeline's records are written alone.
 */
final class Committer {
    /** The most moves written in one call. */
    static final int MAX_BATCH = 256;
    /**
     * How long a write under load waits for more moves to join it: each commit of ours is one the application's own
     * commits may queue behind, so fewer, larger commits leave the database more room (figures in BENCHMARKS.md).
     */
    static final long LINGER_NANOS = 5_000_000;
    /**
     * Group writes at once: two let the database execute one group while the next is made (the drain of a backlog
     * used 1.5 of 2 cores with one; figures in BENCHMARKS.md).
     */
    static final int WRITES_IN_FLIGHT = 2;
    /** Put in the queue when a write ends, so that moves held back for its runs are looked at again at once. */
    private static final Queued WAKE = new Queued(null, null);
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

    /** Told the fate of every write, on a writer thread: of each run, one write at a time, in order. */
    interface Sink {
        /** The moves of {@code run} were committed; {@code stored} holds its records as written. */
        void committed(Run run, List<Move> moves, List<StoredRecord> stored);

        /** The moves of {@code run} were not committed, for {@code error}. */
        void lost(Run run, List<Move> moves, Throwable error);
    }

    private record Queued(Run run, Move move) {
    }

    private final IRepository repository;
    private final Sink sink;
    private final boolean atomic;
    private final Listeners listeners;
    private final History history;
    private final LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final ExecutorService writers;
    private final Semaphore freeWriters = new Semaphore(WRITES_IN_FLIGHT);
    /** The runs of the writes in progress. */
    private final Set<Run> writing = ConcurrentHashMap.newKeySet();
    /** Moves of runs that were being written when they came; only the committer thread touches it. */
    private final List<Queued> heldBack = new ArrayList<>();
    private volatile boolean stopping;
    private int lastBatchSize;

    Committer(IRepository repository, Sink sink, Listeners listeners, String name, History history) {
        this.listeners = listeners;
        this.history = history;
        this.repository = repository;
        this.sink = sink;
        this.atomic = repository.atomicBatches();
        AtomicInteger writerNumber = new AtomicInteger();
        this.writers = Executors.newFixedThreadPool(WRITES_IN_FLIGHT, r -> {
            Thread writer = new Thread(r, name + "-write-" + writerNumber.incrementAndGet());
            writer.setDaemon(true);
            return writer;
        });
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void submit(Run run, Move move) {
        queue.add(new Queued(run, move));
    }

    /** Writes what is queued, then stops; waits at most {@code millis}. */
    void stop(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        stopping = true;
        thread.join(millis);
        writers.shutdown();
        writers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void loop() {
        List<Queued> batch = new ArrayList<>();
        while (!stopping || !queue.isEmpty() || !heldBack.isEmpty()
                || freeWriters.availablePermits() < WRITES_IN_FLIGHT) {
            boolean acquired = false;
            try {
                Queued first = queue.poll(50, TimeUnit.MILLISECONDS);
                // held-back moves first: they came before anything still queued
                batch.addAll(heldBack);
                heldBack.clear();
                if (first != null && first != WAKE) {
                    batch.add(first);
                }
                if (batch.isEmpty()) {
                    continue;
                }
                // a free writer first: what queues while the others write joins this group
                freeWriters.acquire();
                acquired = true;
                linger(batch);
                List<Queued> ready = new ArrayList<>(batch.size());
                for (Queued q : batch) {
                    if (q != WAKE) {
                        (writing.contains(q.run()) ? heldBack : ready).add(q);
                    }
                }
                if (!ready.isEmpty()) {
                    List<Write> writes = group(ready);
                    acquired = false; // start() gives the writer back
                    start(writes);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // never let the committer die: the runs of this batch are reported lost and their claims expire
                LOG.error("prorch committer failed unexpectedly", e);
                heldBack.clear();
                lostAll(batch, e);
            } finally {
                if (acquired) {
                    freeWriters.release();
                }
                batch.clear();
            }
        }
    }

    /**
     * Reports the moves of {@code batch} lost, one report per run; the moves of runs being written are held back
     * instead, as their runs belong to the writers until their writes end.
     */
    private void lostAll(List<Queued> batch, Throwable error) {
        Map<Run, List<Move>> byRun = new LinkedHashMap<>();
        for (Queued q : batch) {
            if (q == WAKE) {
                continue;
            }
            if (writing.contains(q.run())) {
                heldBack.add(q);
            } else {
                byRun.computeIfAbsent(q.run(), r -> new ArrayList<>(2)).add(q.move());
            }
        }
        byRun.forEach((run, moves) -> lost(new Write(run, moves, List.of()), error));
    }

    /** Hands {@code writes} to a writer, which holds their runs until the write and its callbacks are over. */
    private void start(List<Write> writes) {
        List<Run> runs = writes.stream().map(Write::run).toList();
        writing.addAll(runs);
        try {
            writers.execute(() -> {
                try {
                    flush(writes);
                } catch (RuntimeException | Error e) {
                    // never let a writer die: the runs of this write are reported lost and their claims expire
                    LOG.error("prorch committer failed unexpectedly", e);
                    writes.forEach(w -> lost(w, e));
                } finally {
                    runs.forEach(writing::remove);
                    freeWriters.release();
                    queue.add(WAKE);
                }
            });
        } catch (RejectedExecutionException e) {
            runs.forEach(writing::remove);
            freeWriters.release();
            throw e;
        }
    }

    /**
     * Under load, gathers what arrives within {@link #LINGER_NANOS} after the first move, so that one commit
     * carries many pipelines' moves instead of racing the application's own commits for every one of them.
     */
    private void linger(List<Queued> batch) throws InterruptedException {
        long start = System.nanoTime();
        queue.drainTo(batch, MAX_BATCH - batch.size());
        // only under load (the last write carried several pipelines): a lone move is written at once
        boolean busy = lastBatchSize > 1;
        lastBatchSize = batch.size();
        while (busy && batch.size() < MAX_BATCH && System.nanoTime() - start < LINGER_NANOS) {
            Queued next = queue.poll(LINGER_NANOS - (System.nanoTime() - start), TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
            queue.drainTo(batch, MAX_BATCH - batch.size());
        }
        lastBatchSize = batch.size();
    }

    private void flush(List<Write> writes) {
        if (!atomic || writes.size() == 1) {
            writes.forEach(this::writeAlone);
            return;
        }
        List<StoredRecord> all = new ArrayList<>();
        writes.forEach(w -> all.addAll(w.records));
        try {
            List<StoredRecord> stored = all.isEmpty() ? List.of() : write(all, writes.size());
            int offset = 0;
            for (Write write : writes) {
                committed(write, stored.subList(offset, offset + write.records.size()));
                offset += write.records.size();
            }
        } catch (RuntimeException groupError) {
            LOG.debug("prorch: a group write of {} pipeline(s) failed; writing them one by one", writes.size(),
                    groupError);
            writes.forEach(this::writeAlone);
        }
    }

    /** Writes one run's records alone; after a failed write, finds out whether they landed after all. */
    private void writeAlone(Write write) {
        if (write.records.isEmpty()) {
            committed(write, List.of());
            return;
        }
        RuntimeException error;
        try {
            committed(write, write(write.records, 1));
            return;
        } catch (RuntimeException e) {
            error = e;
        }
        // the outcome of a failed write is unknown (a commit may fail after the data was written): re-read
        Optional<List<StoredRecord>> landed = landed(write);
        if (landed.isPresent()) {
            committed(write, landed.get());
        } else {
            lost(write, error);
        }
    }

    /** One call to the store, timed for the listeners. */
    private List<StoredRecord> write(List<StoredRecord> records, int transitions) {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            List<StoredRecord> stored = repository.updateAll(records);
            ok = true;
            return stored;
        } finally {
            if (listeners.any()) {
                listeners.commit(transitions, Duration.ofNanos(System.nanoTime() - start), ok);
            }
        }
    }

    private Optional<List<StoredRecord>> landed(Write write) {
        try {
            List<StoredRecord> confirmed = new ArrayList<>(write.records.size());
            boolean committed = false;
            for (StoredRecord written : write.records) {
                if (written instanceof HistoryRecord && committed) {
                    // one all-or-nothing write, and a record of it is stored as written: so are its history entries.
                    // Not looked up: a store may key history by pipeline, and then a lookup by id alone scans it all
                    confirmed.add(written);
                    continue;
                }
                // history entries are inserted as they are; every other record comes back one version up
                StoredRecord expected = written instanceof HistoryRecord ? written
                        : written.withVersion(written.version() + 1);
                Optional<? extends StoredRecord> stored = repository.get(Model.of(written), written.id());
                if (stored.isEmpty() || !stored.get().equals(expected)) {
                    return Optional.empty();
                }
                confirmed.add(expected);
                if (!(written instanceof HistoryRecord)) {
                    committed = atomic;
                }
            }
            return Optional.of(confirmed);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void committed(Write write, List<StoredRecord> stored) {
        try {
            sink.committed(write.run, write.moves, stored);
        } catch (RuntimeException e) {
            LOG.error("prorch: handling the commit of pipeline {} failed", write.run.id(), e);
        }
    }

    private void lost(Write write, Throwable error) {
        try {
            sink.lost(write.run, write.moves, error);
        } catch (RuntimeException e) {
            LOG.error("prorch: handling the lost write of pipeline {} failed", write.run.id(), e);
        }
    }

    /** Groups the moves by run; each run's records carry the history entries of their transitions. */
    private List<Write> group(List<Queued> batch) {
        Map<Run, List<Move>> byRun = new LinkedHashMap<>();
        for (Queued q : batch) {
            byRun.computeIfAbsent(q.run(), r -> new ArrayList<>(2)).add(q.move());
        }
        List<Write> writes = new ArrayList<>(byRun.size());
        byRun.forEach((run, moves) -> {
            PipelineRecord before = run.pipeline();
            List<StoredRecord> records = Move.apply(moves, before, run::step);
            List<HistoryRecord> entries = history.of(before, run::step, records, null);
            if (!entries.isEmpty()) {
                records = new ArrayList<>(records);
                records.addAll(entries);
            }
            writes.add(new Write(run, moves, records));
        });
        return writes;
    }

    /** The moves of one run queued together, and the records they make, the pipeline first. */
    private record Write(Run run, List<Move> moves, List<StoredRecord> records) {
    }
}
