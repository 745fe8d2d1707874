package io.prorch;

import java.util.UUID;

/** Thrown by commands such as {@link Orchestrator#cancel(UUID, String)} when no pipeline has the given id. */
public final class PipelineNotFoundException extends ProrchException {
    private final UUID pipelineId;

    /** @param pipelineId the id that was looked up */
    public PipelineNotFoundException(UUID pipelineId) {
        super("No pipeline with id " + pipelineId + "; it may have been deleted, or the id belongs to another store");
        this.pipelineId = pipelineId;
    }

    /** @return the id that was not found */
    public UUID pipelineId() {
        return pipelineId;
    }
}
