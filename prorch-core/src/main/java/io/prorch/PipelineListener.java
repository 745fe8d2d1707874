package io.prorch;

import java.time.Duration;
import java.time.Instant;

/**
 * Hears what the orchestrator does, for metrics, tracing, audit logs or tests: register it with
 * {@link OrchestratorConfig.Builder#listener}. Every method has an empty default, so a listener overrides only what it
 * needs.
 *
 * <p>Events are told after the transition they describe is committed, in the order of that pipeline's transitions,
 * on the orchestrator's own threads: keep listeners fast and hand slow work to a queue of your own. A listener that
 * throws is logged and otherwise ignored: it never stops, delays or changes a pipeline.
 */
public interface PipelineListener {

    /** A pipeline or step changed status; see {@link PipelineEvent.Type}. */
    default void onEvent(PipelineEvent event) {
    }

    /**
     * A hook call returned (or threw, or was abandoned), before its result is saved.
     *
     * @param pipelineName the pipeline's name
     * @param stepName the step's name
     * @param hook {@code "onStart"}, {@code "onContinue"} or {@code "onCompensate"}
     * @param duration how long the call took
     * @param outcome {@code "decided"}, {@code "waiting"} (returned without a decision), {@code "threw"} or
     *     {@code "timed_out"}
     */
    default void onHook(String pipelineName, String stepName, String hook, Duration duration, String outcome) {
    }

    /**
     * Due pipelines were claimed to be run (by a pass or the polling loop; not counting starts).
     *
     * @param count how many, at least 1
     */
    default void onClaim(int count) {
    }

    /**
     * One due pipeline was claimed to be run, told right after {@link #onClaim} for each pipeline that claim took:
     * {@code claimedAt - dueAt} is how long it waited for an orchestrator (the claim lag).
     *
     * @param pipelineName the pipeline's name
     * @param dueAt when it was due, or null if the store does not tell (one that implements only
     *     {@code IRepository.claimDue}, not {@code claimDueWithDueTimes})
     * @param claimedAt when the claim returned, by the orchestrator's clock
     */
    default void onClaimed(String pipelineName, Instant dueAt, Instant claimedAt) {
    }

    /**
     * A group of transitions was written in one call to the store.
     *
     * @param transitions how many pipelines' transitions it carried
     * @param duration how long the write took
     * @param committed false if it failed
     */
    default void onCommit(int transitions, Duration duration, boolean committed) {
    }
}
