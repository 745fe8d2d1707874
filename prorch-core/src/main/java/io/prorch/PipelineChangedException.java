package io.prorch;

import java.util.UUID;

/**
 * Thrown by an operator action ({@link Orchestrator#retry}, {@link Orchestrator#resume},
 * {@link Orchestrator#restartFrom}) when the pipeline changed since the operator saw it: nothing was changed. Look at
 * it again ({@link Orchestrator#find}) and decide anew.
 */
public final class PipelineChangedException extends ProrchException {
    /**
     * @param pipelineId the pipeline
     * @param seen the version the operator saw
     * @param now the version stored now
     */
    public PipelineChangedException(UUID pipelineId, long seen, long now) {
        super("Pipeline " + pipelineId + " changed since you saw it (version " + seen + ", now " + now
                + "); nothing was changed: look at it again with find(id) and decide anew");
    }
}
