package io.prorch.internal.engine;

import io.prorch.PipelineEndedException;
import io.prorch.PipelineNotFoundException;
import io.prorch.SignalTarget;
import io.prorch.Status;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.SignalRecord;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends signals and wakes the pipelines they are for: a signal is saved first (one read of its pipeline, one commit),
 * then the {@link SignalWaker} makes the pipeline due off the sender's thread, unless an orchestrator holds it (that
 * orchestrator looks for signals when it releases the pipeline, so a signal that arrives while a hook runs is not
 * missed), and the local polling loop is asked to claim it. Once polling and running a step that waits for a signal,
 * the orchestrator also listens to the store's notices of signals saved elsewhere ({@link IRepository#subscribe}), so
 * that another process's send wakes its steps at once.
 */
final class Signals {
    /** The most pending signals one hook call reads. */
    static final int MAX_INBOX = 100;
    private static final long FLUSH_MILLIS = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private final IRepository repository;
    private final Clock clock;
    private final SignalWaker waker;
    private volatile Runnable pollNow = () -> { };
    private AutoCloseable subscription;
    private boolean polling;
    private boolean closed;
    private volatile boolean waitSeen;

    Signals(IRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
        this.waker = new SignalWaker(repository, clock, () -> pollNow.run());
    }

    /**
     * Sets what asks the local polling loop to claim due pipelines now (polling started), and wakes the pipelines of
     * signals a crash left unwoken. Once polling and once a step run here waits for a signal, this orchestrator also
     * listens to the store's notices of signals saved elsewhere: an orchestrator that never runs such a step holds no
     * listening connection.
     */
    synchronized void pollNow(Runnable poll) {
        this.pollNow = poll;
        polling = true;
        listenIfWaiting();
        waker.recover();
    }

    /** Once polling and once a step run here waits for a signal: subscribes to the store's notices, once. */
    private synchronized void listenIfWaiting() {
        if (subscription != null || !polling || !waitSeen || closed) {
            return;
        }
        try {
            subscription = repository.subscribe(notice -> waker.offer(notice.pipelineId(), notice.name()));
        } catch (RuntimeException e) {
            subscription = () -> { };
            LOG.warn("prorch: listening for signals failed: {}; signals sent elsewhere wake their steps at the next"
                    + " poll", ErrorSummary.headline(e));
        }
    }

    /** @return the pending signals of a pipeline, oldest first, at most {@link #MAX_INBOX} */
    List<SignalRecord> inbox(UUID pipelineId) {
        return repository.search(Model.SIGNAL, SearchFilter.all().where(SearchField.PIPELINE_ID, pipelineId)
                .where(SearchField.STATUS, Status.PENDING).limit(MAX_INBOX));
    }

    /**
     * Saves a signal through {@code via} and wakes its pipeline.
     *
     * @param key the sender's key (a repeated send stores nothing and returns the same id), or null
     * @param local true if {@code via} is this orchestrator's store (not a caller's transaction): the pipeline is then
     *     woken off the caller's thread; through a caller's transaction it is woken in that transaction
     * @return the signal's id
     */
    UUID send(IRepository via, SignalTarget target, String name, Map<String, Object> payload, String key,
              boolean local) {
        String what = "signal \"" + name + "\"";
        PipelineRecord pipeline = target.pipelineId() != null
                ? via.get(Model.PIPELINE, target.pipelineId())
                        .orElseThrow(() -> new PipelineNotFoundException(target.pipelineId()))
                : via.search(Model.PIPELINE, SearchFilter.all().where(SearchField.IDEMPOTENCY_KEY, target.key())
                        .limit(1)).stream().findFirst()
                        .orElseThrow(() -> new PipelineNotFoundException(target.key(), what));
        UUID id = key == null ? UUID.randomUUID() : SignalRecord.idFor(pipeline.id(), key);
        if (pipeline.status().isTerminal()) {
            if (key != null && via.get(Model.SIGNAL, id).isPresent()) {
                return id;   // the same send again (a retried webhook) after the pipeline ended: stored once
            }
            throw new PipelineEndedException(pipeline.id(), pipeline.status(), what);
        }
        try {
            via.save(SignalRecord.sent(id, pipeline.id(), name, payload, Clocks.now(clock)));
        } catch (DuplicateRecordException sentBefore) {
            if (key == null) {
                throw sentBefore;
            }
            return id;   // the same send again (a retried webhook): stored once, woken once
        }
        if (local) {
            waker.offer(pipeline.id(), name);
        } else {
            // in the caller's transaction: the pipeline becomes due when, and only if, the caller commits
            new SignalWake(via, clock).wake(List.of(new SignalWake.Wake(pipeline.id(), name)));
        }
        return id;
    }

    /** After a release of a step that waits for {@code names}: wakes the pipeline if one of them arrived meanwhile. */
    void wakeIfPending(UUID pipelineId, Set<String> names) {
        if (!waitSeen) {
            waitSeen = true;
            listenIfWaiting();
        }
        try {
            for (String name : names) {
                if (!repository.search(Model.SIGNAL, SearchFilter.all().where(SearchField.PIPELINE_ID, pipelineId)
                        .where(SearchField.STATUS, Status.PENDING).where(SearchField.NAME, name).limit(1)).isEmpty()) {
                    waker.wakeAll(List.of(new SignalWake.Wake(pipelineId, name)));
                    return;
                }
            }
        } catch (RuntimeException e) {
            // the pipeline still wakes at its deadline or when the next signal is sent
            LOG.warn("prorch: looking for signals of pipeline {} failed: {}", pipelineId, ErrorSummary.headline(e));
        }
    }

    /** Wakes, on the caller's thread, the pipelines of the signals sent so far in this JVM (before a pass). */
    void flush() {
        waker.flush(FLUSH_MILLIS);
    }

    /** Stops listening and wakes what is queued, waiting at most {@code millis}. */
    void close(long millis) throws InterruptedException {
        synchronized (this) {
            closed = true;
            if (subscription != null) {
                try {
                    subscription.close();
                } catch (Exception e) {
                    LOG.warn("prorch: closing the store's signal notices failed: {}", ErrorSummary.headline(e));
                }
            }
        }
        waker.stop(millis);
    }
}
