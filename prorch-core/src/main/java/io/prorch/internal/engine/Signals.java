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
import io.prorch.repository.StepRecord;
import io.prorch.repository.VersionConflictException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends signals and wakes the pipelines they are for: a signal is saved first, then the pipeline is made due at once
 * unless an orchestrator holds it (that orchestrator looks for signals when it releases the pipeline, so a signal
 * that arrives while a hook runs is not missed), and the local polling loop is asked to claim it now.
 */
final class Signals {
    /** The most pending signals one hook call reads. */
    static final int MAX_INBOX = 100;
    private static final int WAKE_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private final IRepository repository;
    private final Clock clock;
    private volatile Runnable pollNow = () -> { };

    Signals(IRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** Sets what asks the local polling loop to claim due pipelines now. */
    void pollNow(Runnable poll) {
        this.pollNow = poll;
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
     * @param local true if {@code via} is this orchestrator's store (not a caller's transaction): the local polling
     *     loop is then asked to claim the pipeline at once
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
        if (key != null && via.get(Model.SIGNAL, id).isPresent()) {
            return id;   // the same send again (a retried webhook), even after the pipeline ended: stored once
        }
        if (pipeline.status().isTerminal()) {
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
        if (wake(via, pipeline.id(), name) && local) {
            pollNow.run();
        }
        return id;
    }

    /** After a release of a step that waits for {@code names}: wakes the pipeline if one of them arrived meanwhile. */
    void wakeIfPending(UUID pipelineId, Set<String> names) {
        try {
            for (String name : names) {
                if (!repository.search(Model.SIGNAL, SearchFilter.all().where(SearchField.PIPELINE_ID, pipelineId)
                        .where(SearchField.STATUS, Status.PENDING).where(SearchField.NAME, name).limit(1)).isEmpty()) {
                    if (wake(repository, pipelineId, name)) {
                        pollNow.run();
                    }
                    return;
                }
            }
        } catch (RuntimeException e) {
            // the pipeline still wakes at its deadline or when the next signal is sent
            LOG.warn("prorch: looking for signals of pipeline {} failed: {}", pipelineId, ErrorSummary.headline(e));
        }
    }

    /**
     * Makes a pipeline due now if its current step waits for {@code name}, unless it ended, is due already, or an
     * orchestrator holds it (that one looks for signals when it releases the pipeline). The pipeline and its step are
     * read afresh here, after the signal was saved: a step that started waiting since the signal was sent is seen.
     *
     * @return true if the pipeline was made due (or already was)
     */
    private boolean wake(IRepository via, UUID pipelineId, String name) {
        for (int attempt = 0; attempt < WAKE_ATTEMPTS; attempt++) {
            Instant now = Clocks.now(clock);
            PipelineRecord p = via.get(Model.PIPELINE, pipelineId).orElse(null);
            if (p == null || p.status() != Status.PENDING || p.isClaimedAt(now)) {
                return false;
            }
            if (p.dueAt() != null && !p.dueAt().isAfter(now)) {
                return true;
            }
            boolean awaits = via.get(Model.STEP, StepRecord.idOf(pipelineId, p.currentStep()))
                    .map(step -> Awaiting.names(step.metadata()).contains(name)).orElse(false);
            if (!awaits) {
                return false;   // kept until its step waits for it; that step's release finds it
            }
            try {
                via.update(p.withDueAt(now).withUpdatedAt(now));
                return true;
            } catch (VersionConflictException raced) {
                // claimed or changed meanwhile: look again
            }
        }
        return false;
    }
}
