package io.prorch.internal.engine;

import io.prorch.Status;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StepRecord;
import io.prorch.repository.VersionConflictException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Makes pipelines due for their signals, reading only what it needs: a batch reads its pipelines in one
 * {@code getAll}, the current steps of those neither claimed nor due in another, and makes due those whose step waits
 * for a signal of the batch (one {@code updateAll} where batches are atomic; each alone after a race). A pipeline an
 * orchestrator holds is left alone: the holder looks for signals when it releases it.
 */
final class SignalWake {
    /** A wake for a signal named {@code name}, or for any signal the step waits for if {@code name} is null. */
    record Wake(UUID pipelineId, String name) {
    }

    private static final int ATTEMPTS = 5;

    private final IRepository repository;
    private final Clock clock;

    SignalWake(IRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** @return true if a pipeline was made due or already was */
    boolean wake(List<Wake> wakes) {
        Map<UUID, Set<String>> names = new LinkedHashMap<>();
        for (Wake w : wakes) {
            names.computeIfAbsent(w.pipelineId(), k -> new LinkedHashSet<>()).add(w.name());
        }
        Instant now = Clocks.now(clock);
        boolean due = false;
        List<PipelineRecord> asleep = new ArrayList<>();
        for (PipelineRecord p : repository.getAll(Model.PIPELINE, names.keySet())) {
            if (p.status() != Status.PENDING || p.isClaimedAt(now)) {
                continue;   // ended, or held: the holder looks for signals when it releases the pipeline
            }
            if (p.dueAt() != null && !p.dueAt().isAfter(now)) {
                due = true;
            } else {
                asleep.add(p);
            }
        }
        if (asleep.isEmpty()) {
            return due;
        }
        Map<UUID, StepRecord> steps = new HashMap<>();
        for (StepRecord s : repository.getAll(Model.STEP,
                asleep.stream().map(p -> StepRecord.idOf(p.id(), p.currentStep())).toList())) {
            steps.put(s.pipelineId(), s);
        }
        List<PipelineRecord> toWake = new ArrayList<>();
        for (PipelineRecord p : asleep) {
            StepRecord step = steps.get(p.id());
            if (step != null && awaitsAny(p.id(), Awaiting.names(step.metadata()), names.get(p.id()))) {
                toWake.add(p.withDueAt(now).withUpdatedAt(now));
            }
        }
        return write(toWake) || due;
    }

    /** @return true if the step waits for one of {@code sent} (null: any signal of its pipeline still pending) */
    private boolean awaitsAny(UUID pipelineId, Set<String> awaited, Set<String> sent) {
        if (awaited.isEmpty()) {
            return false;   // not waiting for a signal: kept until its step waits for it; that step's release finds it
        }
        for (String name : sent) {
            if (name != null && awaited.contains(name)) {
                return true;
            }
        }
        if (!sent.contains(null)) {
            return false;
        }
        // woken by a store's notice, which names the pipeline only: look for a pending signal the step waits for
        return repository.search(Model.SIGNAL, SearchFilter.all().where(SearchField.PIPELINE_ID, pipelineId)
                .where(SearchField.STATUS, Status.PENDING).limit(Signals.MAX_INBOX)).stream()
                .anyMatch(s -> awaited.contains(s.name()));
    }

    /** Makes {@code pipelines} due, as one batch where the store's batches are atomic; each alone after a race. */
    private boolean write(List<PipelineRecord> pipelines) {
        if (pipelines.isEmpty()) {
            return false;
        }
        if (pipelines.size() > 1 && repository.atomicBatches()) {
            try {
                repository.updateAll(pipelines);
                return true;
            } catch (VersionConflictException raced) {
                // one of them was claimed or changed meanwhile: nothing was written, wake each alone
            }
        }
        boolean woke = false;
        for (PipelineRecord p : pipelines) {
            woke |= wakeOne(p);
        }
        return woke;
    }

    /** Makes one pipeline due, reading it afresh after a race. */
    private boolean wakeOne(PipelineRecord expected) {
        PipelineRecord p = expected;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                repository.update(p);
                return true;
            } catch (VersionConflictException raced) {
                Instant now = Clocks.now(clock);
                PipelineRecord fresh = repository.get(Model.PIPELINE, p.id()).orElse(null);
                if (fresh == null || fresh.status() != Status.PENDING || fresh.isClaimedAt(now)) {
                    return false;
                }
                if (fresh.dueAt() != null && !fresh.dueAt().isAfter(now)) {
                    return true;
                }
                if (fresh.currentStep() != expected.currentStep()) {
                    return false;   // moved on: the new step's release looks for its signals
                }
                p = fresh.withDueAt(now).withUpdatedAt(now);
            }
        }
        return false;
    }
}
