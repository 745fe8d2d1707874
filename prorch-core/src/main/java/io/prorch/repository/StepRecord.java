package io.prorch.repository;

import static java.util.Objects.requireNonNull;

import io.prorch.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A stored pipeline step: one step of one pipeline run.
 *
 * @param id the step record's id
 * @param pipelineId the id of the pipeline it belongs to
 * @param name the {@code @Step} name
 * @param position its index in the pipeline's step list, from 0
 * @param status {@code CREATED} until {@code onStart} completed, then {@code PENDING}, then a terminal status
 * @param metadata the step's own metadata
 * @param attempts how many hook invocations of this step failed with an exception
 * @param version optimistic-concurrency version: 0 when saved, +1 per update
 * @param createdAt when it was saved
 * @param updatedAt when it last changed
 * @param lastError the last error (type, message, stack summary) or the fail / cancel reason, or null
 */
public record StepRecord(
        UUID id,
        UUID pipelineId,
        String name,
        int position,
        Status status,
        Map<String, Object> metadata,
        int attempts,
        long version,
        Instant createdAt,
        Instant updatedAt,
        String lastError) implements StoredRecord {

    /**
     * Validates and copies every field.
     *
     * @throws NullPointerException naming the first required field that is null
     * @throws IllegalArgumentException for a blank name, a negative position, attempts or version, or metadata
     *     JSON cannot hold
     */
    public StepRecord {
        requireNonNull(id, "id");
        requireNonNull(pipelineId, "pipelineId");
        requireNonNull(name, "name");
        requireNonNull(status, "status");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(updatedAt, "updatedAt");
        if (name.isBlank()) {
            throw new IllegalArgumentException("Step " + id + ": name must not be blank");
        }
        if (position < 0) {
            throw new IllegalArgumentException("Step " + id + ": position must not be negative, but was " + position);
        }
        if (attempts < 0) {
            throw new IllegalArgumentException("Step " + id + ": attempts must not be negative, but was " + attempts);
        }
        if (version < 0) {
            throw new IllegalArgumentException("Step " + id + ": version must not be negative, but was " + version);
        }
        metadata = JsonValues.canonicalMap(requireNonNull(metadata, "metadata"), "Step metadata");
    }

    /**
     * A step as {@code start} saves it: {@code CREATED}, never attempted, version 0, empty metadata, its id
     * {@link #idOf}{@code (pipelineId, position)}.
     *
     * @param pipelineId the pipeline's id
     * @param position the step's position, from 0
     * @param name the {@code @Step} name
     * @param now the creation and update time
     * @return the record
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as the canonical constructor does
     */
    public static StepRecord created(UUID pipelineId, int position, String name, Instant now) {
        return new StepRecord(idOf(pipelineId, position), pipelineId, name, position, Status.CREATED,
                JsonValues.emptyMap(), 0, 0, now, now, null);
    }

    /**
     * The id of a pipeline's step at {@code position}. The orchestrator derives step ids this way, so it can read a
     * step without searching; tools that write pipelines directly (imports, benchmarks) must use it too.
     *
     * <p>For a time-ordered (version 7) pipeline id, as the orchestrator makes them, the step id is the pipeline id
     * with {@code position + 1} XORed into its lowest bits: the steps of a pipeline sort next to it and to each other,
     * which keeps index pages of recent work together. The orchestrator's ids leave those 16 bits zero, so the steps
     * of different pipelines never collide (up to 65,535 steps each). For any other pipeline id (pipelines stored by
     * earlier versions, or ids made elsewhere) it is the name-based UUID of {@code "<pipelineId>/<position>"}.
     *
     * @param pipelineId the pipeline's id
     * @param position the step's position, from 0
     * @return the step's id; always the same for the same arguments
     * @throws NullPointerException if {@code pipelineId} is null
     * @throws IllegalArgumentException if {@code position} is negative
     */
    public static UUID idOf(UUID pipelineId, int position) {
        requireNonNull(pipelineId, "pipelineId");
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative, but was " + position);
        }
        if (pipelineId.version() == 7) {
            return new UUID(pipelineId.getMostSignificantBits(), pipelineId.getLeastSignificantBits() ^ (position + 1L));
        }
        return UUID.nameUUIDFromBytes((pipelineId + "/" + position).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public StepRecord withVersion(long version) {
        return new StepRecord(id, pipelineId, name, position, status, metadata, attempts, version, createdAt,
                updatedAt, lastError);
    }

    /** @return a copy with {@code status} */
    public StepRecord withStatus(Status status) {
        return new StepRecord(id, pipelineId, name, position, status, metadata, attempts, version, createdAt,
                updatedAt, lastError);
    }

    /** @return a copy with {@code metadata} (checked and copied) */
    public StepRecord withMetadata(Map<String, ?> metadata) {
        return new StepRecord(id, pipelineId, name, position, status, JsonValues.canonicalMap(metadata,
                "Step metadata"), attempts, version, createdAt, updatedAt, lastError);
    }

    /** @return a copy with {@code attempts} */
    public StepRecord withAttempts(int attempts) {
        return new StepRecord(id, pipelineId, name, position, status, metadata, attempts, version, createdAt,
                updatedAt, lastError);
    }

    /** @return a copy with {@code updatedAt} */
    public StepRecord withUpdatedAt(Instant updatedAt) {
        return new StepRecord(id, pipelineId, name, position, status, metadata, attempts, version, createdAt,
                updatedAt, lastError);
    }

    /** @return a copy with {@code lastError} (null clears it) */
    public StepRecord withLastError(String lastError) {
        return new StepRecord(id, pipelineId, name, position, status, metadata, attempts, version, createdAt,
                updatedAt, lastError);
    }
}
