package io.prorch;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * Something that happened to a pipeline, told to {@link PipelineListener}s once it is committed.
 *
 * @param type what happened
 * @param pipelineId the pipeline's id
 * @param pipelineName its {@code @Pipeline} name
 * @param stepName the step it concerns, or null for events of the whole pipeline ({@code PIPELINE_*})
 * @param stepPosition that step's position, from 0, or -1 for events of the whole pipeline
 * @param attempt the step's attempt the event belongs to, from 1 (0 for events of the whole pipeline)
 * @param error the error or reason of a failure, retry, cancel or set-aside, bounded in length; otherwise null
 * @param at when it was committed, by the orchestrator's clock
 */
public record PipelineEvent(Type type, UUID pipelineId, String pipelineName, String stepName, int stepPosition,
                            int attempt, String error, Instant at) {

    /** What happened. */
    public enum Type {
        /** The pipeline was saved by a start. */
        PIPELINE_STARTED,
        /** A step was entered: its {@code onStart} ran and was saved ({@code created -> pending}). */
        STEP_STARTED,
        /** A step's {@code onContinue} ran without a decision, or asked to wait: it waits for a later pass. */
        STEP_WAITING,
        /** A step's hook failed (it threw, ran too long, or its result could not be saved); it will be retried. */
        STEP_RETRYING,
        /** A step finished. */
        STEP_FINISHED,
        /** A step failed: by its decision, or after its last attempt. */
        STEP_FAILED,
        /** A step was cancelled: by its decision, or with its pipeline from outside. */
        STEP_CANCELLED,
        /** The pipeline's last step finished. */
        PIPELINE_FINISHED,
        /** The pipeline failed. */
        PIPELINE_FAILED,
        /** The pipeline was cancelled. */
        PIPELINE_CANCELLED,
        /** The pipeline could not be run (an unknown pipeline or step name) and was set aside; see {@code error}. */
        PIPELINE_SET_ASIDE,
        /** A step consumed a signal (committed with the step's transition); {@code error} holds its name. */
        SIGNAL_RECEIVED,
        /** A finished step's {@code onCompensate} ran: it is undone. */
        STEP_COMPENSATED,
        /** The pipeline failed or was cancelled and its finished steps were compensated; {@code error} says why. */
        PIPELINE_COMPENSATED
    }

    /**
     * @throws NullPointerException if {@code type}, {@code pipelineId}, {@code pipelineName} or {@code at} is null
     */
    public PipelineEvent {
        requireNonNull(type, "type");
        requireNonNull(pipelineId, "pipelineId");
        requireNonNull(pipelineName, "pipelineName");
        requireNonNull(at, "at");
    }
}
