package io.prorch.internal.engine;

import io.prorch.internal.registry.PipelineDefinition;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.IRepository;
import io.prorch.repository.JsonValues;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Saves new pipelines with their steps: started here and run at once, or enqueued in the caller's transaction. */
final class Starts {
    private final IRepository repository;
    private final RunLoop loop;
    private final Clock clock;
    private final String owner;
    private final Duration claimDuration;
    private final int maxMetadataBytes;
    private final Listeners listeners;
    private final StartGroups groups;

    Starts(IRepository repository, RunLoop loop, Clock clock, String owner, Duration claimDuration,
           int maxMetadataBytes, Listeners listeners) {
        this.listeners = listeners;
        this.repository = repository;
        this.loop = loop;
        this.clock = clock;
        this.owner = owner;
        this.claimDuration = claimDuration;
        this.maxMetadataBytes = maxMetadataBytes;
        this.groups = new StartGroups(repository);
    }

    /** Refuses a start input over the metadata limit, before anything is written. */
    private void checkSize(PipelineDefinition definition, Map<String, Object> input) {
        long size = JsonValues.jsonSize(input);
        if (size > maxMetadataBytes) {
            throw new IllegalArgumentException("Start input of pipeline \"" + definition.name() + "\" is " + size
                    + " bytes as JSON, over the limit of " + maxMetadataBytes + " bytes (maxMetadataBytes); keep"
                    + " large data elsewhere and pass its key, or raise the limit");
        }
    }

    /** Saves a new pipeline claimed by this orchestrator and launches it; see {@code Engine.start}. */
    UUID start(PipelineDefinition definition, Map<String, Object> input, String idempotencyKey, Tracker tracker) {
        checkSize(definition, input);
        Instant now = Clocks.now(clock);
        Instant until = now.plus(claimDuration);
        PipelineRecord pipeline = PipelineRecord.pending(PipelineRecord.newId(), definition.name(),
                definition.stepNames(), input, now).toBuilder()
                .dueAt(until).claim(owner, until).idempotencyKey(idempotencyKey).build();
        StepRecord[] steps = steps(pipeline, now);
        try {
            // concurrent starts share one commit; each returns only once its own records are committed
            groups.save(pipeline, records(pipeline, steps));
        } catch (DuplicateRecordException duplicate) {
            if (idempotencyKey == null) {
                throw duplicate;
            }
            // another start with this key won: every caller gets that pipeline's id
            return findByIdempotencyKey(idempotencyKey).orElseThrow(() -> duplicate);
        }
        if (listeners.any()) {
            listeners.started(pipeline);
        }
        loop.launch(new Run(pipeline, steps, tracker));
        return pipeline.id();
    }

    /** Saves a new pipeline through {@code via}, unclaimed and due now, without running it. */
    UUID enqueue(IRepository via, PipelineDefinition definition, Map<String, Object> input, String idempotencyKey) {
        checkSize(definition, input);
        Instant now = Clocks.now(clock);
        PipelineRecord pipeline = PipelineRecord.pending(PipelineRecord.newId(), definition.name(),
                definition.stepNames(), input, now).toBuilder().idempotencyKey(idempotencyKey).build();
        via.saveAll(records(pipeline, steps(pipeline, now)));
        return pipeline.id();
    }

    /** As {@link #enqueue} in this orchestrator's store; a used {@code idempotencyKey} returns that pipeline's id. */
    UUID enqueueOnce(PipelineDefinition definition, Map<String, Object> input, String idempotencyKey) {
        try {
            return enqueue(repository, definition, input, idempotencyKey);
        } catch (DuplicateRecordException duplicate) {
            if (idempotencyKey == null) {
                throw duplicate;
            }
            return findByIdempotencyKey(idempotencyKey).orElseThrow(() -> duplicate);
        }
    }

    Optional<UUID> findByIdempotencyKey(String idempotencyKey) {
        return repository.search(Model.PIPELINE, SearchFilter.all()
                .where(SearchField.IDEMPOTENCY_KEY, idempotencyKey).limit(1)).stream().findFirst()
                .map(PipelineRecord::id);
    }

    private static StepRecord[] steps(PipelineRecord pipeline, Instant now) {
        List<String> names = pipeline.stepNames();
        StepRecord[] steps = new StepRecord[names.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = StepRecord.created(pipeline.id(), i, names.get(i), now);
        }
        return steps;
    }

    /**
     * The steps first, then the pipeline: a torn save in a store without atomic batches leaves no half pipeline. No
     * history record: the pipeline's row records its start ({@code Orchestrator.history} reads it from there), which
     * keeps a history row off the submitting thread's write.
     */
    private static List<StoredRecord> records(PipelineRecord pipeline, StepRecord[] steps) {
        List<StoredRecord> records = new ArrayList<>(steps.length + 1);
        records.addAll(List.of(steps));
        records.add(pipeline);
        return records;
    }
}
