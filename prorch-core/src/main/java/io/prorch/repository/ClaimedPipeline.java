package io.prorch.repository;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A pipeline taken by {@link IRepository#claimDueWithDueTimes}, with the due time the claim replaced: the
 * orchestrator's claim lag (how long a due pipeline waited to be claimed) is the claim's time minus {@code wasDueAt}.
 *
 * @param pipeline the pipeline as the claim left it (its {@code dueAt} is the claim's expiry)
 * @param wasDueAt when it was due before the claim, or null if the store does not tell
 */
public record ClaimedPipeline(PipelineRecord pipeline, Instant wasDueAt) {
    /** @throws NullPointerException if {@code pipeline} is null */
    public ClaimedPipeline {
        requireNonNull(pipeline, "pipeline");
    }
}
