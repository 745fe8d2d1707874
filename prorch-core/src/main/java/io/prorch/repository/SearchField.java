package io.prorch.repository;

import io.prorch.Status;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/** A field a {@link SearchFilter} can test (for equality, membership or a time range), with the models it applies to and the type of its value. */
public enum SearchField {
    /** The record's {@link Status}; every model (a signal is {@code PENDING} until consumed, then {@code FINISHED}). */
    STATUS(Status.class, Set.of(Model.PIPELINE, Model.STEP, Model.SIGNAL)),
    /** The pipeline's, step's or signal's name; every model. */
    NAME(String.class, Set.of(Model.PIPELINE, Model.STEP, Model.SIGNAL)),
    /** The pipeline a step belongs to, a signal is sent to, or a history entry tells of; all but pipelines. */
    PIPELINE_ID(UUID.class, Set.of(Model.STEP, Model.SIGNAL, Model.HISTORY)),
    /** The orchestrator holding a pipeline's claim; pipelines only. */
    CLAIM_OWNER(String.class, Set.of(Model.PIPELINE)),
    /** The pipeline's idempotency key; pipelines only. */
    IDEMPOTENCY_KEY(String.class, Set.of(Model.PIPELINE)),
    /** When the record was created (a history entry: when the transition happened); every model. */
    CREATED_AT(Instant.class, Set.of(Model.PIPELINE, Model.STEP, Model.SIGNAL, Model.HISTORY)),
    /** When the record last changed; every model (a history entry never changes: its creation time). */
    UPDATED_AT(Instant.class, Set.of(Model.PIPELINE, Model.STEP, Model.SIGNAL, Model.HISTORY));

    private final Class<?> valueType;
    private final Set<Model<?>> models;

    SearchField(Class<?> valueType, Set<Model<?>> models) {
        this.valueType = valueType;
        this.models = models;
    }

    /** @return the type a value compared with this field must have */
    public Class<?> valueType() {
        return valueType;
    }

    /** @return true if records of {@code model} have this field */
    public boolean appliesTo(Model<?> model) {
        return models.contains(model);
    }

    /**
     * Reads this field from a record, for stores that filter in memory.
     *
     * @return the field's value, or null if the record does not have it (or it is unset)
     */
    public Object valueOf(StoredRecord record) {
        return reader().apply(record);
    }

    private Function<StoredRecord, Object> reader() {
        return switch (this) {
            case STATUS -> r -> r instanceof PipelineRecord p ? p.status()
                    : r instanceof StepRecord s ? s.status() : r instanceof SignalRecord g ? g.status() : null;
            case NAME -> r -> r instanceof PipelineRecord p ? p.name()
                    : r instanceof StepRecord s ? s.name() : r instanceof SignalRecord g ? g.name() : null;
            case PIPELINE_ID -> r -> r instanceof StepRecord s ? s.pipelineId()
                    : r instanceof SignalRecord g ? g.pipelineId()
                    : r instanceof HistoryRecord h ? h.pipelineId() : null;
            case CLAIM_OWNER -> r -> r instanceof PipelineRecord p ? p.claimOwner() : null;
            case IDEMPOTENCY_KEY -> r -> r instanceof PipelineRecord p ? p.idempotencyKey() : null;
            case CREATED_AT -> StoredRecord::createdAt;
            case UPDATED_AT -> StoredRecord::updatedAt;
        };
    }
}
