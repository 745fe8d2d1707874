package io.prorch.internal.engine;

import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RecordRejectedException;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of starts, leader and followers: a start that arrives while another start's write is in flight joins
 * the next group, and the first caller to find no write in flight (the leader) writes the whole group in one
 * {@link IRepository#saveAll} (one transaction, one statement on PostgreSQL). Each caller returns only once its own
 * records are committed, so a start is never acknowledged before its commit. A lone start writes at once: no timer,
 * no linger, nothing waits unless a write is already in flight. Once {@link #SECOND_WRITE_AT} starts wait behind a
 * write, they start a second one beside it ({@link #MAX_IN_FLIGHT}): with a single write in flight the database sits
 * idle from each commit until a woken follower gets a processor and sends the next group, which on a busy machine
 * took longer than the write (figures in BENCHMARKS.md, 2026-12-07).
 *
 * <p>A group's write that fails is redone start by start, so a duplicate idempotency key or a record the store
 * refuses fails only the start that holds it, with the exception it would have had alone. A store failure (any other
 * error on a start written alone) fails that start and the rest of its group with it, without making each wait for
 * the store again. On a store without {@link IRepository#atomicBatches() atomic batches} a failed group could leave
 * part of it written, so every start is written alone there, as before.
 */
final class StartGroups {
    /**
     * The most records one group writes: a pipeline of three steps is four records (steps, pipeline), so about
     * sixty starts, still one statement of a few thousand parameters on PostgreSQL.
     */
    static final int MAX_RECORDS = 256;
    /** The most group writes in flight at once. */
    static final int MAX_IN_FLIGHT = 2;
    /** How many starts must wait behind a write before they start a second one: small groups would cost commits. */
    static final int SECOND_WRITE_AT = 4;

    /**
     * One caller's start: its records, and once {@code done}, its outcome. {@code done} is guarded by the lock; the
     * leader sets {@code error} before it takes the lock to set {@code done}, which publishes it to the caller.
     */
    private static final class Pending {
        final PipelineRecord pipeline;
        final List<StoredRecord> records;
        boolean done;
        Throwable error;

        Pending(PipelineRecord pipeline, List<StoredRecord> records) {
            this.pipeline = pipeline;
            this.records = records;
        }
    }

    private final IRepository repository;
    private final boolean grouping;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private int writing;

    StartGroups(IRepository repository) {
        this.repository = repository;
        this.grouping = repository.atomicBatches();
    }

    /**
     * Saves one start's records, alone or with the starts of other threads, and returns once they are committed.
     *
     * @param pipeline the new pipeline, one of {@code records}
     * @throws RuntimeException what {@link IRepository#saveAll} of these records alone would throw, or the store's
     *     failure that failed the group
     */
    void save(PipelineRecord pipeline, List<StoredRecord> records) {
        if (!grouping) {
            repository.saveAll(records);
            return;
        }
        Pending mine = new Pending(pipeline, records);
        lock.lock();
        try {
            waiting.add(mine);
            while (!mine.done) {
                if (writing >= MAX_IN_FLIGHT || (writing > 0 && waiting.size() < SECOND_WRITE_AT)) {
                    // a leader signals once its write ended, in a finally block: a throwing write wakes us too.
                    // Uninterruptible: our start is queued and may be written, so its caller must learn the outcome
                    written.awaitUninterruptibly();
                } else {
                    lead();
                }
            }
        } finally {
            lock.unlock();
        }
        rethrow(mine.error);
    }

    /** @return how many starts wait for a write (for tests) */
    int queued() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: takes the oldest waiting starts, writes them without the lock, and wakes their callers. */
    private void lead() {
        writing++;
        List<Pending> group = take();
        lock.unlock();
        try {
            write(group);
        } catch (RuntimeException | Error e) {
            // write() answers every start itself; this is a bug's last resort, so no caller waits forever
            group.forEach(p -> p.error = p.error == null ? e : p.error);
        } finally {
            lock.lock();
            writing--;
            group.forEach(p -> p.done = true);
            written.signalAll();
        }
    }

    /** The oldest waiting starts, at least one, at most {@link #MAX_RECORDS} records together. */
    private List<Pending> take() {
        List<Pending> group = new ArrayList<>();
        int records = 0;
        while (!waiting.isEmpty()
                && (group.isEmpty() || records + waiting.peekFirst().records.size() <= MAX_RECORDS)) {
            Pending next = waiting.pollFirst();
            records += next.records.size();
            group.add(next);
        }
        return group;
    }

    private void write(List<Pending> group) {
        if (group.size() == 1) {
            Pending only = group.get(0);
            try {
                repository.saveAll(only.records);
            } catch (RuntimeException e) {
                only.error = e;
            }
            return;
        }
        List<StoredRecord> all = new ArrayList<>();
        group.forEach(p -> all.addAll(p.records));
        try {
            repository.saveAll(all);
        } catch (RuntimeException groupError) {
            // all or nothing: none of the group was written; find out whose start it was by writing each alone
            oneByOne(group);
        }
    }

    /** Writes each start alone, so that a start's own fault fails it only; a store failure fails the rest too. */
    private void oneByOne(List<Pending> group) {
        RuntimeException storeFailure = null;
        for (Pending start : group) {
            if (storeFailure != null) {
                start.error = new RepositoryException("save of pipeline " + start.pipeline.id() + " failed: the"
                        + " store failed a start written in the same group (" + storeFailure.getMessage() + "); start"
                        + " it again (an idempotency key makes the repeat safe)", storeFailure);
                continue;
            }
            try {
                repository.saveAll(start.records);
            } catch (DuplicateRecordException duplicate) {
                start.error = landed(start) ? null : duplicate;
            } catch (RecordRejectedException | VersionConflictException | IllegalArgumentException refused) {
                start.error = refused;
            } catch (RuntimeException e) {
                start.error = e;
                storeFailure = e;
            }
        }
    }

    /**
     * Whether a start whose records are reported taken was written after all: a group write whose commit failed in
     * transit may have landed, and a new pipeline's random id is taken only by that write.
     */
    private boolean landed(Pending start) {
        try {
            return repository.get(Model.PIPELINE, start.pipeline.id()).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void rethrow(Throwable error) {
        if (error == null) {
            return;
        }
        if (error instanceof RuntimeException e) {
            throw e;
        }
        if (error instanceof Error e) {
            throw e;
        }
        throw new RepositoryException("a start failed: " + error, error);
    }
}
