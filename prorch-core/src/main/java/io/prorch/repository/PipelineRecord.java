package io.prorch.repository;

import static java.util.Objects.requireNonNull;

import io.prorch.Status;
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

    /**
     * A new run as {@code start} saves it: {@code PENDING} at its first step, version 0, due at {@code now},
     * unclaimed, without error or idempotency key. Chain {@code with...} or use {@link #toBuilder()} for the rest.
     *
     * @param id the new pipeline's id, normally {@link #newId()}
     * @param name the {@code @Pipeline} name
     * @param stepNames the step names, in order
     * @param metadata the start input
     * @param now the creation, update and due time
     * @return the record
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as the canonical constructor does
     */
    public static PipelineRecord pending(UUID id, String name, List<String> stepNames, Map<String, ?> metadata,
                                         Instant now) {
        return new PipelineRecord(id, name, Status.PENDING, stepNames, 0, JsonValues.canonicalMap(metadata,
                "Pipeline metadata"), 0, now, now, requireNonNull(now, "now"), null, null, null, null);
    }

    /** @return a builder holding every field of this record, to change several at once */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Changes several fields of a {@link PipelineRecord} at once; {@link #build()} validates the result as the
     * canonical constructor does. Obtained from {@link PipelineRecord#toBuilder()}.
     */
    public static final class Builder {
        private UUID id;
        private String name;
        private Status status;
        private List<String> stepNames;
        private int currentStep;
        private Map<String, ?> metadata;
        private long version;
        private Instant createdAt;
        private Instant updatedAt;
        private Instant dueAt;
        private String claimOwner;
        private Instant claimExpiresAt;
        private String lastError;
        private String idempotencyKey;

        private Builder(PipelineRecord r) {
            id = r.id;
            name = r.name;
            status = r.status;
            stepNames = r.stepNames;
            currentStep = r.currentStep;
            metadata = r.metadata;
            version = r.version;
            createdAt = r.createdAt;
            updatedAt = r.updatedAt;
            dueAt = r.dueAt;
            claimOwner = r.claimOwner;
            claimExpiresAt = r.claimExpiresAt;
            lastError = r.lastError;
            idempotencyKey = r.idempotencyKey;
        }

        /** @return this builder with {@code id} */
        public Builder id(UUID id) {
            this.id = id;
            return this;
        }

        /** @return this builder with {@code name} */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** @return this builder with {@code status} */
        public Builder status(Status status) {
            this.status = status;
            return this;
        }

        /** @return this builder with {@code stepNames} */
        public Builder stepNames(List<String> stepNames) {
            this.stepNames = stepNames;
            return this;
        }

        /** @return this builder with {@code currentStep} */
        public Builder currentStep(int currentStep) {
            this.currentStep = currentStep;
            return this;
        }

        /** @return this builder with {@code metadata} */
        public Builder metadata(Map<String, ?> metadata) {
            this.metadata = metadata;
            return this;
        }

        /** @return this builder with {@code version} */
        public Builder version(long version) {
            this.version = version;
            return this;
        }

        /** @return this builder with {@code createdAt} */
        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        /** @return this builder with {@code updatedAt} */
        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        /** @return this builder with {@code dueAt} (null: never) */
        public Builder dueAt(Instant dueAt) {
            this.dueAt = dueAt;
            return this;
        }

        /** @return this builder claimed by {@code owner} until {@code expiresAt} (both null: unclaimed) */
        public Builder claim(String owner, Instant expiresAt) {
            this.claimOwner = owner;
            this.claimExpiresAt = expiresAt;
            return this;
        }

        /** @return this builder with {@code lastError} (null: none) */
        public Builder lastError(String lastError) {
            this.lastError = lastError;
            return this;
        }

        /** @return this builder with {@code idempotencyKey} (null: none) */
        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = idempotencyKey;
            return this;
        }

        /**
         * @return the record
         * @throws NullPointerException if a required field is null, as the canonical constructor says
         * @throws IllegalArgumentException for a value the canonical constructor refuses
         */
        public PipelineRecord build() {
            return new PipelineRecord(id, name, status, stepNames, currentStep, JsonValues.canonicalMap(
                    requireNonNull(metadata, "metadata"), "Pipeline metadata"), version, createdAt, updatedAt, dueAt,
                    claimOwner, claimExpiresAt, lastError, idempotencyKey);
        }
    }

    /** The reserved metadata key of a pipeline's priority within its queue (see {@link #priority()}). */
    public static final String PRIORITY_KEY = "_prorch.priority";

    /**
     * A pipeline's priority within its queue, set at start ({@code Starter.priority}) and kept in its metadata under
     * {@link #PRIORITY_KEY}: a limited claim takes the highest first. Stores that claim in SQL keep it in a column of
     * its own as well.
     *
     * @return the priority, 0 if none is set (or the stored value is not a whole number)
     */
    public int priority() {
        Object value = metadata.get(PRIORITY_KEY);
        return value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                ? (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n.longValue())) : 0;
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
