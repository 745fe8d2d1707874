package io.prorch;

import static java.util.Objects.requireNonNull;

import io.prorch.internal.engine.Engine;
import java.util.UUID;

/**
 * An operator's actions on pipelines, each recorded in the pipeline's history with who did it and why: obtained from
 * {@link Orchestrator#operator(String, String)}. Every action goes through the step machine and is conditional on the
 * version the operator saw ({@link PipelineView#version()} or {@link PipelineSummary#version()}), so it is safe
 * against orchestrators running the pipeline and against a second operator: whoever acts on an old view gets a
 * {@link PipelineChangedException} and nothing changes. Thread-safe and immutable.
 */
public final class Operator {
    private final Engine engine;
    private final String actor;
    private final String reason;

    Operator(Engine engine, String actor, String reason) {
        this.engine = engine;
        this.actor = actor;
        this.reason = reason;
    }

    /** @return who acts, or null */
    public String actor() {
        return actor;
    }

    /** @return why, or null */
    public String reason() {
        return reason;
    }

    /**
     * Retries a failed pipeline, once the cause is fixed: its failed step is entered again ({@code onStart} runs again,
     * so make it idempotent) with its attempt count reset, and the pipeline is pending and due at once. A pipeline
     * whose compensation failed compensates that step again instead.
     *
     * @throws NullPointerException if {@code pipelineId} is null
     * @throws PipelineNotFoundException if no pipeline has this id
     * @throws PipelineChangedException if the pipeline changed since {@code seenVersion}; nothing is changed
     * @throws IllegalStateException if the pipeline did not fail (a finished one, say); nothing is changed
     */
    public void retry(UUID pipelineId, long seenVersion) {
        engine.retry(requireNonNull(pipelineId, "pipelineId"), seenVersion, actor, reason);
    }

    /**
     * Continues a waiting pipeline now, skipping a {@code continueAfter} delay, a retry's backoff or a wait for a
     * signal (its hook then decides again).
     *
     * @throws NullPointerException if {@code pipelineId} is null
     * @throws PipelineNotFoundException if no pipeline has this id
     * @throws PipelineChangedException if the pipeline changed since {@code seenVersion}; nothing is changed
     * @throws IllegalStateException if the pipeline ended or an orchestrator is running it; nothing is changed
     */
    public void resume(UUID pipelineId, long seenVersion) {
        engine.resume(requireNonNull(pipelineId, "pipelineId"), seenVersion, actor, reason);
    }

    /**
     * Re-enters a pipeline at one of its steps, earlier or later than where it is, whatever its status: that step and
     * every later one are {@code created} again (their metadata kept, their attempts reset), and the pipeline is
     * pending there and due at once.
     *
     * @param stepName one of the steps the pipeline was started with
     * @throws NullPointerException if an argument is null
     * @throws PipelineNotFoundException if no pipeline has this id
     * @throws PipelineChangedException if the pipeline changed since {@code seenVersion}; nothing is changed
     * @throws IllegalArgumentException if the pipeline has no step of that name
     * @throws IllegalStateException if an orchestrator is running the pipeline; nothing is changed
     */
    public void restartFrom(UUID pipelineId, String stepName, long seenVersion) {
        engine.restartFrom(requireNonNull(pipelineId, "pipelineId"), requireNonNull(stepName, "stepName"),
                seenVersion, actor, reason);
    }

    /**
     * Cancels a pipeline: it and its current step become {@code cancelled} with this operator's reason (or
     * {@code "cancelled by an operator"}), and no further hook of it runs. Not conditional on a version: a cancel
     * applies to whatever state the pipeline is in.
     *
     * @return true if this call cancelled it; false if it had already ended
     * @throws NullPointerException if {@code pipelineId} is null
     * @throws PipelineNotFoundException if no pipeline has this id
     */
    public boolean cancel(UUID pipelineId) {
        return engine.cancel(requireNonNull(pipelineId, "pipelineId"),
                reason == null ? "cancelled by an operator" : reason, actor);
    }
}
