package io.prorch;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * Which pipeline a signal goes to: by its id, or by the key it was started with
 * ({@link Starter#idempotencyKey(String)}), which is how a webhook that knows only an order number finds its process.
 *
 * @param pipelineId the pipeline's id, or null when {@code key} names it
 * @param key the pipeline's idempotency key, or null when {@code pipelineId} names it
 */
public record SignalTarget(UUID pipelineId, String key) {

    /** @throws IllegalArgumentException unless exactly one of the two is given */
    public SignalTarget {
        if ((pipelineId == null) == (key == null)) {
            throw new IllegalArgumentException("A signal target names a pipeline by its id or by its key, not both"
                    + " and not neither; use SignalTarget.id(..) or SignalTarget.key(..)");
        }
    }

    /**
     * @return the pipeline with this id
     * @throws NullPointerException if {@code pipelineId} is null
     */
    public static SignalTarget id(UUID pipelineId) {
        return new SignalTarget(requireNonNull(pipelineId, "pipelineId"), null);
    }

    /**
     * @return the pipeline started with this idempotency key
     * @throws NullPointerException if {@code key} is null
     */
    public static SignalTarget key(String key) {
        return new SignalTarget(null, requireNonNull(key, "key"));
    }

    @Override
    public String toString() {
        return pipelineId != null ? "pipeline " + pipelineId : "the pipeline started with key \"" + key + "\"";
    }
}
