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

    /**
     * @param key the idempotency key no pipeline was started with
     * @param what what was refused, for the message
     */
    public PipelineNotFoundException(String key, String what) {
        super("No pipeline was started with key \"" + key + "\"; " + what + " was not stored. Start it with"
                + " starter(..).idempotencyKey(\"" + key + "\"), or send to its id");
        this.pipelineId = null;
    }

    /** @return the id that was not found, or null if a key was looked up */
    public UUID pipelineId() {
        return pipelineId;
    }
}
