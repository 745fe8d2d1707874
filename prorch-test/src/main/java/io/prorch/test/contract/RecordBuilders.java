package io.prorch.test.contract;

import io.prorch.Status;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test-data builders for repository tests, in the style of JobRunr's {@code JobTestBuilder}:
 * {@code aPipeline().withStatus(PENDING).build()}. Defaults are valid records with microsecond timestamps.
 */
public final class RecordBuilders {
    /** The default creation time of built records. */
    public static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456Z");

    private RecordBuilders() {
    }

    /** @return a builder of a pending pipeline named "TestPipeline" with steps A, B, C */
    public static PipelineBuilder aPipeline() {
        return new PipelineBuilder();
    }

    /** @return a builder of a created step "A" at position 0 of a random pipeline */
    public static StepBuilder aStep() {
        return new StepBuilder();
    }

    /** Builds {@link PipelineRecord}s, through {@link PipelineRecord#toBuilder()}, which validates at the end. */
    public static final class PipelineBuilder {
        private final PipelineRecord.Builder record = PipelineRecord.pending(UUID.randomUUID(), "TestPipeline",
                List.of("A", "B", "C"), Map.of(), T0).toBuilder().dueAt(null);

        /** @return this, with {@code id} */
        public PipelineBuilder withId(UUID id) {
            record.id(id);
            return this;
        }

        /** @return this, with {@code name} */
        public PipelineBuilder withName(String name) {
            record.name(name);
            return this;
        }

        /** @return this, with {@code status} */
        public PipelineBuilder withStatus(Status status) {
            record.status(status);
            return this;
        }

        /** @return this, with {@code stepNames} */
        public PipelineBuilder withStepNames(List<String> stepNames) {
            record.stepNames(stepNames);
            return this;
        }

        /** @return this, with {@code currentStep} */
        public PipelineBuilder withCurrentStep(int currentStep) {
            record.currentStep(currentStep);
            return this;
        }

        /** @return this, with {@code metadata} */
        public PipelineBuilder withMetadata(Map<String, ?> metadata) {
            record.metadata(new java.util.LinkedHashMap<>(metadata));
            return this;
        }

        /** @return this, with {@code version} */
        public PipelineBuilder withVersion(long version) {
            record.version(version);
            return this;
        }

        /** @return this, created and updated at {@code instant} */
        public PipelineBuilder withTimestamps(Instant createdAt, Instant updatedAt) {
            record.createdAt(createdAt).updatedAt(updatedAt);
            return this;
        }

        /** @return this, due at {@code dueAt} (null: not due) */
        public PipelineBuilder withDueAt(Instant dueAt) {
            record.dueAt(dueAt);
            return this;
        }

        /** @return this, claimed by {@code owner} until {@code expiresAt} */
        public PipelineBuilder withClaim(String owner, Instant expiresAt) {
            record.claim(owner, expiresAt);
            return this;
        }

        /** @return this, with {@code lastError} */
        public PipelineBuilder withLastError(String lastError) {
            record.lastError(lastError);
            return this;
        }

        /** @return this, with {@code idempotencyKey} */
        public PipelineBuilder withIdempotencyKey(String idempotencyKey) {
            record.idempotencyKey(idempotencyKey);
            return this;
        }

        /** @return the record */
        public PipelineRecord build() {
            return record.build();
        }
    }

    /** Builds {@link StepRecord}s. */
    public static final class StepBuilder {
        private UUID id = UUID.randomUUID();
        private UUID pipelineId = UUID.randomUUID();
        private String name = "A";
        private int position;
        private Status status = Status.CREATED;
        private Map<String, Object> metadata = Map.of();
        private int attempts;
        private long version;
        private Instant createdAt = T0;
        private Instant updatedAt = T0;
        private String lastError;

        /** @return this, with {@code id} */
        public StepBuilder withId(UUID id) {
            this.id = id;
            return this;
        }

        /** @return this, belonging to {@code pipelineId} */
        public StepBuilder withPipelineId(UUID pipelineId) {
            this.pipelineId = pipelineId;
            return this;
        }

        /** @return this, with {@code name} */
        public StepBuilder withName(String name) {
            this.name = name;
            return this;
        }

        /** @return this, at {@code position} */
        public StepBuilder withPosition(int position) {
            this.position = position;
            return this;
        }

        /** @return this, with {@code status} */
        public StepBuilder withStatus(Status status) {
            this.status = status;
            return this;
        }

        /** @return this, with {@code metadata} */
        public StepBuilder withMetadata(Map<String, ?> metadata) {
            this.metadata = new java.util.LinkedHashMap<>(metadata);
            return this;
        }

        /** @return this, with {@code attempts} */
        public StepBuilder withAttempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        /** @return this, with {@code version} */
        public StepBuilder withVersion(long version) {
            this.version = version;
            return this;
        }

        /** @return this, with {@code lastError} */
        public StepBuilder withLastError(String lastError) {
            this.lastError = lastError;
            return this;
        }

        /** @return the record */
        public StepRecord build() {
            return new StepRecord(id, pipelineId, name, position, status, metadata, attempts, version, createdAt,
                    updatedAt, lastError);
        }
    }
}
