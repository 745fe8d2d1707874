package io.prorch.internal.engine;

import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes transitions, grouping those of many pipelines into one {@link IRepository#updateAll} (group commit): while
 * one write is in progress the next ones queue up and go together. Each pipeline's transition is still committed
 * before that pipeline's next hook runs, because the run only goes on from {@link Listener#committed}.
 */
final class Committer {
    /** The most transitions written in one call. */
    static final int MAX_BATCH = 256;
    /**
     * How long a write under load waits for more transitions to join it. Every commit of ours is one the
     * application's own commits may have to queue behind (a database flushes its log one commit group at a time):
     * on PostgreSQL, 5 ms instead of 2 took the peers' workload, whose single submitting thread waits for each start's
     * commit, from about 1,410 to 1,880 processes/s (four alternating runs each), for at most 5 ms more per
     * transition, and only while transitions keep arriving.
     */
    static final long LINGER_NANOS = 5_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

    /** Told the fate of every transition, on the committer thread. */
    interface Listener {
        void committed(Transition transition);

        void lost(Transition transition, Throwable error);
    }

    private final IRepository repository;
    private final Listener listener;
    private final LinkedBlockingQueue<Transition> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopping;
    private int lastBatchSize;

    Committer(IRepository repository, Listener listener, String name) {
        this.repository = repository;
        this.listener = listener;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void submit(Transition transition) {
        queue.add(transition);
    }

    /** Writes what is queued, then stops; waits at most {@code millis}. */
    void stop(long millis) throws InterruptedException {
        stopping = true;
        thread.join(millis);
    }

    private void loop() {
        List<Transition> batch = new ArrayList<>();
        while (!stopping || !queue.isEmpty()) {
            try {
                Transition first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                linger(batch);
                flush(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // never let the writer die: the runs of this batch are reported lost and their claims expire
                LOG.error("prorch committer failed unexpectedly", e);
                batch.forEach(t -> safeLost(t, e));
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Under load, gathers what arrives within {@link #LINGER_NANOS} after the first transition, so that one commit
     * carries many pipelines' transitions instead of racing the application's own commits for every one of them.
     */
    private void linger(List<Transition> batch) throws InterruptedException {
        long start = System.nanoTime();
        queue.drainTo(batch, MAX_BATCH - batch.size());
        // only under load (the last write carried several pipelines): a lone transition is written at once
        boolean busy = lastBatchSize > 1;
        lastBatchSize = batch.size();
        while (busy && batch.size() < MAX_BATCH && System.nanoTime() - start < LINGER_NANOS) {
            Transition next = queue.poll(LINGER_NANOS - (System.nanoTime() - start), TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
            queue.drainTo(batch, MAX_BATCH - batch.size());
        }
        lastBatchSize = batch.size();
    }

    private void flush(List<Transition> batch) {
        List<Write> writes = group(batch);
        List<StoredRecord> all = new ArrayList<>();
        for (Write write : writes) {
            all.addAll(write.records);
        }
        if (all.isEmpty()) {
            writes.forEach(this::committed);
            return;
        }
        try {
            List<StoredRecord> stored = repository.updateAll(all);
            int offset = 0;
            for (Write write : writes) {
                write.apply(stored.subList(offset, offset + write.records.size()));
                offset += write.records.size();
                committed(write);
            }
        } catch (RuntimeException batchError) {
            LOG.debug("prorch: a group write of {} pipeline(s) failed; writing them one by one", writes.size(),
                    batchError);
            for (Write write : writes) {
                retryAlone(write, writes.size() == 1 ? batchError : null);
            }
        }
    }

    /** After a failed group write: write one pipeline's records alone, or find out whether they landed. */
    private void retryAlone(Write write, RuntimeException knownError) {
        RuntimeException error = knownError;
        if (write.records.isEmpty()) {
            committed(write);
            return;
        }
        if (error == null) {
            try {
                write.apply(repository.updateAll(write.records));
                committed(write);
                return;
            } catch (RuntimeException e) {
                error = e;
            }
        }
        // the outcome of a failed write is unknown (a commit may fail after the data was written): re-read
        if (landed(write)) {
            committed(write);
        } else {
            for (Transition t : write.transitions) {
                safeLost(t, error);
            }
        }
    }

    private boolean landed(Write write) {
        try {
            List<StoredRecord> confirmed = new ArrayList<>();
            for (StoredRecord written : write.records) {
                StoredRecord expected = written.withVersion(written.version() + 1);
                Optional<? extends StoredRecord> stored = repository.get(Model.of(written), written.id());
                if (stored.isPresent() && stored.get().equals(expected)) {
                    confirmed.add(expected);
                } else if (!confirmed.isEmpty() && stored.isPresent()
                        && stored.get().version() == written.version()) {
                    // a store without atomic updateAll wrote the pipeline but not this step: complete it
                    confirmed.add(repository.update(written));
                } else {
                    return false;
                }
            }
            write.apply(confirmed);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void committed(Write write) {
        for (Transition t : write.transitions) {
            try {
                listener.committed(t);
            } catch (RuntimeException e) {
                LOG.error("prorch: handling the commit of pipeline {} failed", t.run().id(), e);
            }
        }
    }

    private void safeLost(Transition transition, Throwable error) {
        try {
            listener.lost(transition, error);
        } catch (RuntimeException e) {
            LOG.error("prorch: handling the lost write of pipeline {} failed", transition.run().id(), e);
        }
    }

    private static List<Write> group(List<Transition> batch) {
        Map<Run, Write> byRun = new LinkedHashMap<>();
        for (Transition t : batch) {
            byRun.computeIfAbsent(t.run(), Write::new).transitions.add(t);
        }
        List<Write> writes = new ArrayList<>(byRun.values());
        writes.forEach(Write::prepare);
        return writes;
    }

    /** The merged records of one run's queued transitions: the pipeline first, so its version fences the rest. */
    private static final class Write {
        final Run run;
        final List<Transition> transitions = new ArrayList<>(2);
        final List<StoredRecord> records = new ArrayList<>(3);

        Write(Run run) {
            this.run = run;
        }

        void prepare() {
            PipelineRecord base = run.pipeline();
            PipelineRecord pipeline = base;
            Map<Integer, StepRecord> steps = new LinkedHashMap<>();
            for (Transition t : transitions) {
                pipeline = t.pipelineChange().apply(pipeline);
                for (Transition.StepChange change : t.stepChanges()) {
                    StepRecord current = steps.getOrDefault(change.position(), run.step(change.position()));
                    steps.put(change.position(), change.change().apply(current));
                }
            }
            if (pipeline != base || !steps.isEmpty()) {
                records.add(pipeline);
                records.addAll(steps.values());
            }
        }

        void apply(List<StoredRecord> stored) {
            for (StoredRecord record : stored) {
                if (record instanceof PipelineRecord p) {
                    run.pipeline(p);
                } else {
                    run.step((StepRecord) record);
                }
            }
        }
    }
}
