package io.prorch;

import java.util.UUID;

/**
 * Thrown when a signal is sent to a pipeline that already ended ({@code finished}, {@code failed} or
 * {@code cancelled}): no step will ever read it, so it is not stored.
 */
public final class PipelineEndedException extends ProrchException {
    private final UUID pipelineId;
    private final Status status;

    /**
     * @param pipelineId the pipeline
     * @param status how it ended
     * @param what what was refused, for the message, e.g. {@code "signal \"approved\""}
     */
    public PipelineEndedException(UUID pipelineId, Status status, String what) {
        super("Pipeline " + pipelineId + " is " + status.name().toLowerCase(java.util.Locale.ROOT) + "; " + what
                + " was not stored, since no step of it will run again");
        this.pipelineId = pipelineId;
        this.status = status;
    }

    /** @return the pipeline that ended */
    public UUID pipelineId() {
        return pipelineId;
    }

    /** @return how it ended */
    public Status status() {
        return status;
    }
}
