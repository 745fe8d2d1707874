package io.prorch.internal.engine;

import io.prorch.Status;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.SignalRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import io.prorch.internal.engine.SignalWake.Wake;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes pipelines whose signals were saved, off the sender's thread and in batches of up to {@value #BATCH}, through a
 * {@link SignalWake}. A send thus costs its caller one read and one commit; a signal whose wake is lost to a crash is found by {@link #recover} when an orchestrator
 * starts polling, or read at the step's deadline.
 */
final class SignalWaker {
    private static final Logger LOG = LoggerFactory.getLogger(SignalWaker.class);
    private static final int BATCH = 500;
    private static final int QUEUED = 100_000;
    private static final int RECOVERED = 1000;

    /** Put in the queue by {@link #stop}: not a wake. */
    private static final Wake STOP = new Wake(new UUID(0, 0), null);
    /** Put in the queue by {@link #recover}: not a wake. */
    private static final Wake RECOVER = new Wake(new UUID(0, 1), null);

    private final IRepository repository;
    private final SignalWake wake;
    private final Runnable pollNow;
    private final BlockingQueue<Wake> queue = new LinkedBlockingQueue<>(QUEUED);
    private final Thread thread;
    private final Object working = new Object();
    /** Wakes offered and wakes done: a flush waits until what was offered before it is done. */
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private volatile boolean stopping;

    /** @param pollNow asks the local polling loop to claim due pipelines now; called once per batch that woke any */
    SignalWaker(IRepository repository, Clock clock, Runnable pollNow) {
        this.repository = repository;
        this.wake = new SignalWake(repository, clock);
        this.pollNow = pollNow;
        this.thread = new Thread(this::loop, "prorch-signal-waker");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a wake; if the queue is full (the store is far behind), wakes on the caller's thread instead. */
    void offer(UUID pipelineId, String name) {
        Wake wake = new Wake(pipelineId, name);
        offered.incrementAndGet();
        if (stopping || !queue.offer(wake)) {
            process(List.of(wake));
        }
    }

    /**
     * Wakes, on the caller's thread, what was queued before this call, waiting at most {@code millis} for a batch the
     * waker's thread has begun: so that a pass that follows a send in this JVM finds the pipeline due.
     */
    void flush(long millis) {
        long target = offered.get();
        if (done.get() >= target) {
            return;
        }
        List<Wake> batch = new ArrayList<>();
        synchronized (working) {
            queue.drainTo(batch);
            process(batch);
        }
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (done.get() < target && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            synchronized (working) {
                // the waker's thread holds this lock while it wakes a batch: once we have it, that batch is done
            }
        }
    }

    /**
     * Queues a wake for the pipelines of the oldest pending signals (at most {@value #RECOVERED}): those whose wake a
     * crash cut off between the signal's commit and the wake's are made due now rather than at their deadline.
     */
    void recover() {
        queue.offer(RECOVER);   // on the waker's thread: the caller (startPolling) never waits for the store
    }

    private void recoverNow() {
        try {
            Set<Wake> wakes = new LinkedHashSet<>();
            for (SignalRecord s : repository.search(Model.SIGNAL,
                    SearchFilter.all().where(SearchField.STATUS, Status.PENDING).limit(RECOVERED))) {
                wakes.add(new Wake(s.pipelineId(), s.name()));
            }
            wakes.forEach(w -> offer(w.pipelineId(), w.name()));
        } catch (RuntimeException e) {
            LOG.warn("prorch: looking for pending signals at start failed: {}; their pipelines wake at their"
                    + " deadlines or with the next signal", ErrorSummary.headline(e));
        }
    }

    /** Wakes what is queued (for at most {@code millis}) and stops the thread. */
    void stop(long millis) throws InterruptedException {
        stopping = true;
        queue.offer(STOP);   // wakes the thread now rather than at the end of its wait
        thread.join(Math.max(1, millis));
    }

    /** The waker's thread: waits for wakes, then wakes them in batches until the queue is empty. */
    private void loop() {
        List<Wake> batch = new ArrayList<>(BATCH);
        while (true) {
            try {
                Wake first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                synchronized (working) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    boolean stop = batch.removeIf(w -> w == STOP);
                    if (batch.removeIf(w -> w == RECOVER)) {
                        recoverNow();
                    }
                    process(batch);
                    if (stop && queue.isEmpty()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                return;   // nobody interrupts this thread but the JVM going down
            } catch (RuntimeException | Error e) {
                LOG.error("prorch: waking pipelines for their signals failed; they wake at their deadlines", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void process(List<Wake> wakes) {
        try {
            wakeAll(wakes);
        } finally {
            done.addAndGet(wakes.size());
        }
    }

    /** Wakes the pipelines of {@code wakes}; never throws. */
    void wakeAll(List<Wake> wakes) {
        try {
            if (wake.wake(wakes)) {
                pollNow.run();
            }
        } catch (RuntimeException e) {
            LOG.warn("prorch: waking {} pipeline(s) for their signals failed: {}; they wake at their deadlines or"
                    + " with the next signal", wakes.size(), ErrorSummary.headline(e));
        }
    }
}
