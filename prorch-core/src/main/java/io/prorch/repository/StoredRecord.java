package io.prorch.repository;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What every stored record has: an id, a version for optimistic concurrency, metadata and timestamps. The
 * implementations are {@link PipelineRecord}, {@link StepRecord}, {@link SignalRecord} and {@link HistoryRecord}; records are immutable values.
 */
public sealed interface StoredRecord permits PipelineRecord, StepRecord, SignalRecord, HistoryRecord {
    /** @return the record's unique id */
    UUID id();

    /** @return the version: 0 when first saved, incremented by every successful {@link IRepository#update} */
    long version();

    /** @return the record's metadata: an unmodifiable tree of JSON-compatible values */
    Map<String, Object> metadata();

    /** @return when the record was created */
    Instant createdAt();

    /** @return when the record was last changed by the orchestrator */
    Instant updatedAt();

    /**
     * Returns a copy with another version. Repositories call it to hand back the updated record.
     *
     * @param version the new version, not negative
     * @return a copy of this record with {@code version}
     */
    StoredRecord withVersion(long version);
}
