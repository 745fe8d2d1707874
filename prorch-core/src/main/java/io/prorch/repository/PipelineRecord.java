package io.prorch.repository;

import static java.util.Objects.requireNonNull;

import io.prorch.Status;
import io.prorch.internal.engine.PipelineIds;
import io.prorch.internal.metadata.JsonValues;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stored pipeline: one run of a {@code @Pipeline}.
 *
 * @param id the pipeline's id
 * @param name the {@code @Pipeline} name it was started as
 * @param status {@code PENDING} until it ends {@code FINISHED}, {@code FAILED} or {@code CANCELLED}
 * @param stepNames the step names it was started with; later changes to the {@code @Pipeline} affect new runs only
 * @param currentStep index into {@code stepNames} of the step being driven (the last one once it ended)
 * @param metadata shared by all steps of the run; holds the start input
 * @param version optimistic-concurrency version: 0 when saved, +1 per update; also the claim's fencing token
 * @param createdAt when it was started
 * @param updatedAt when it last changed
 * @param dueAt when it should next be continued, or null once it ended; a claimed pipeline is due when its claim
 *     expires, so an abandoned claim is taken over by the ordinary due search
 * @param claimOwner the orchestrator id holding the claim, or null
 * @param claimExpiresAt when that claim expires, or null (set exactly when {@code claimOwner} is)
 * @param lastError the last problem seen on this pipeline (unknown name, failure or cancel reason), or null
 * @param idempotencyKey the caller's key that makes {@code start} create at most one pipeline, or null
 */
public record PipelineRecord(
        UUID id,
        String name,
        Status status,
        List<String> stepNames,
        int currentStep,
        Map<String, Object> metadata,
        long version,
        Instant createdAt,
        Instant updatedAt,
        Instant dueAt,
        String claimOwner,
        Instant claimExpiresAt,
        String lastError,
        String idempotencyKey) implements StoredRecord {

    /**
     * Validates and copies every field.
     *
     * @throws NullPointerException naming the first required field that is null
     * @throws IllegalArgumentException for a blank name, no steps, a step index out of range, a negative version,
     *     metadata JSON cannot hold, or a claim owner without an expiry (or the reverse)
     */
    public PipelineRecord {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(status, "status");
        requireNonNull(stepNames, "stepNames");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(updatedAt, "updatedAt");
        if (name.isBlank()) {
            throw new IllegalArgumentException("Pipeline " + id + ": name must not be blank");
        }
        stepNames = List.copyOf(stepNames);
        if (stepNames.isEmpty()) {
            throw new IllegalArgumentException("Pipeline " + id + ": stepNames must not be empty");
        }
        for (String step : stepNames) {
            if (step.isBlank()) {
                throw new IllegalArgumentException("Pipeline " + id + ": step names must not be blank");
            }
        }
        if (currentStep < 0 || currentStep >= stepNames.size()) {
            throw new IllegalArgumentException("Pipeline " + id + ": currentStep must be in [0, "
                    + (stepNames.size() - 1) + "], but was " + currentStep);
        }
        if (version < 0) {
            throw new IllegalArgumentException("Pipeline " + id + ": version must not be negative, but was " + version);
        }
        if ((claimOwner == null) != (claimExpiresAt == null)) {
            throw new IllegalArgumentException("Pipeline " + id
                    + ": claimOwner and claimExpiresAt must both be set or both be null");
        }
        if (idempotencyKey != null && idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("Pipeline " + id + ": idempotencyKey must be null or not blank");
        }
        metadata = JsonValues.canonicalMap(requireNonNull(metadata, "metadata"), "Pipeline metadata");
    }

    /** @return true if an orchestrator holds a claim that has not expired at {@code now} */
    public boolean isClaimedAt(Instant now) {
        return claimExpiresAt != null && claimExpiresAt.isAfter(now);
    }

    /**
     * A new pipeline id, as the orchestrator makes them: a time-ordered (version 7) UUID, whose steps' ids
     * ({@link StepRecord#idOf}) sort right after it. Tools that write pipelines directly (imports, benchmarks) should
     * use it, so that their rows share index pages with the orchestrator's instead of scattering over the index.
     *
     * @return a new id, greater than every id this JVM made before (while its wall clock does not jump back)
     */
    public static UUID newId() {
        return PipelineIds.next();
    }

    @Override
    public PipelineRecord withVersion(long version) {
        return new PipelineRecord(id, name, status, stepNames, currentStep, metadata, version, createdAt, updatedAt,
                dueAt, claimOwner, claimExpiresAt, lastError, idempotencyKey);
    }

    /** @return a copy with {@code status} */
    public PipelineRecord withStatus(Status status) {
        return new PipelineRecord(id, name, status, stepNames, currentStep, metadata, version, createdAt, updatedAt,
                dueAt, claimOwner, claimExpiresAt, lastError, idempotencyKey);
    }

    /** @return a copy whose current step is {@code currentStep} */
    public PipelineRecord withCurrentStep(int currentStep) {
        return new PipelineRecord(id, name, status, stepNames, currentStep, metadata, version, createdAt, updatedAt,
                dueAt, claimOwner, claimExpiresAt, lastError, idempotencyKey);
    }

    /** @return a copy with {@code metadata} (checked and copied) */
    public PipelineRecord withMetadata(Map<String, ?> metadata) {
        return new PipelineRecord(id, name, status, stepNames, currentStep, JsonValues.canonicalMap(metadata,
                "Pipeline metadata"), version, createdAt, updatedAt, dueAt, claimOwner, claimExpiresAt, lastError,
                idempotencyKey);
    }

    /** @return a copy with {@code updatedAt} */
    public PipelineRecord withUpdatedAt(Instant updatedAt) {
        return new PipelineRecord(id, name, status, stepNames, currentStep, metadata, version, createdAt, updatedAt,
                dueAt, claimOwner, claimExpiresAt, lastError, idempotencyKey);
    }

    /** @return a copy due at {@code dueAt} (null: never, for ended pipelines) */
    public PipelineRecord withDueAt(Instant dueAt) {
        return new PipelineRecord(id, name, status, stepNames, currentStep, metadata, version, createdAt, updatedAt,
                dueAt, claimOwner, claimExpiresAt, lastError, idempotencyKey);
    }

    /** @return a copy claimed by {@code owner} until {@code expiresAt} (both null to release the claim) */
    public PipelineRecord withClaim(String owner, Instant expiresAt) {
        return new PipelineRecord(id, name, status, stepNames, currentStep, metadata, version, createdAt, updatedAt,
                dueAt, owner, expiresAt, lastError, idempotencyKey);
    }

    /** @return a copy with {@code lastError} (null clears it) */
    public PipelineRecord withLastError(String lastError) {
        return new PipelineRecord(id, name, status, stepNames, currentStep, metadata, version, createdAt, updatedAt,
                dueAt, claimOwner, claimExpiresAt, lastError, idempotencyKey);
    }
}
