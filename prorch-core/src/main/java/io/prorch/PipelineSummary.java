package io.prorch;

import static java.util.Objects.requireNonNull;

import io.prorch.repository.PipelineRecord;
import java.time.Instant;
import java.util.UUID;

/**
 * One pipeline as a list shows it: what {@link Orchestrator#query} returns, without metadata or steps (open it with
 * {@link Orchestrator#find}).
 *
 * @param id the pipeline's id
 * @param name its {@code @Pipeline} name
 * @param businessKey the idempotency key it was started with, or null
 * @param status its status
 * @param currentStep the name of the step it is at (the last one it was at once it ended)
 * @param lastError the last problem seen on it, or null
 * @param createdAt when it was started
 * @param updatedAt when it last changed
 * @param version its version, for actions conditional on what the operator saw
 */
public record PipelineSummary(UUID id, String name, String businessKey, Status status, String currentStep,
                              String lastError, Instant createdAt, Instant updatedAt, long version) {
    /** @throws NullPointerException if a field other than {@code businessKey} and {@code lastError} is null */
    public PipelineSummary {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(status, "status");
        requireNonNull(currentStep, "currentStep");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * @return the summary of a stored pipeline
     * @throws NullPointerException if {@code pipeline} is null
     */
    public static PipelineSummary of(PipelineRecord pipeline) {
        return new PipelineSummary(pipeline.id(), pipeline.name(), pipeline.idempotencyKey(), pipeline.status(),
                pipeline.stepNames().get(pipeline.currentStep()), pipeline.lastError(), pipeline.createdAt(),
                pipeline.updatedAt(), pipeline.version());
    }
}
