package io.prorch.internal.engine;

import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import java.util.UUID;

/**
 * One claimed pipeline being driven by this orchestrator: the last committed records and the turn's progress.
 * Only one thread works on a run at a time (a worker, then the committer, then a worker...); fields read by the
 * claim renewer are volatile.
 */
final class Run {
    private final Tracker tracker;
    private volatile PipelineRecord pipeline;
    private final StepRecord[] steps;
    /** Whether onContinue already ran for the current step in this turn (the next call waits for a later pass). */
    boolean continued;
    /** Whether a transition that moved the pipeline forward was committed in this turn. */
    boolean advanced;
    /** The hook call in progress, or null between hooks; read by the watchdog. */
    volatile HookCall hookCall;
    volatile boolean renewalQueued;

    Run(PipelineRecord pipeline, StepRecord[] steps, Tracker tracker) {
        this.pipeline = pipeline;
        this.steps = steps;
        this.tracker = tracker;
    }

    UUID id() {
        return pipeline.id();
    }

    PipelineRecord pipeline() {
        return pipeline;
    }

    void pipeline(PipelineRecord committed) {
        this.pipeline = committed;
    }

    StepRecord step(int position) {
        return steps[position];
    }

    void step(StepRecord committed) {
        steps[committed.position()] = committed;
    }

    StepRecord currentStep() {
        return steps[pipeline.currentStep()];
    }

    Tracker tracker() {
        return tracker;
    }
}
