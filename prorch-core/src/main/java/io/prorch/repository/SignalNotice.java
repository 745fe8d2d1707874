package io.prorch.repository;

import java.util.Objects;
import java.util.UUID;

/**
 * A store's notice that a signal was saved (see {@link IRepository#subscribe}): the pipeline it is for and, where the
 * store can tell, its name. A notice is a hint: the orchestrator reads the store before it acts on one.
 *
 * @param pipelineId the pipeline the signal was sent to; never null
 * @param name the signal's name, or null if the store does not say (the orchestrator then looks for any pending
 *     signal the waiting step wants, one more read)
 */
public record SignalNotice(UUID pipelineId, String name) {
    /** @throws NullPointerException if {@code pipelineId} is null */
    public SignalNotice {
        Objects.requireNonNull(pipelineId, "pipelineId");
    }
}
