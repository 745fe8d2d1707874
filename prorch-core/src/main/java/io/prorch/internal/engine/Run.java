package io.prorch.internal.engine;

import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import java.util.List;
import java.util.UUID;

/**
 * One claimed pipeline being driven by this orchestrator: its last committed records and its turn so far. Only the
 * {@link RunLoop} changes it, from one thread at a time (a worker, then the committer, then a worker...); the fields
 * the {@link Watchdog} reads are volatile.
 */
final class Run {
    private final Tracker tracker;
    private volatile PipelineRecord pipeline;
    private final StepRecord[] steps;
    /** The position of the step whose onContinue ran in this turn (the next call waits for a later pass), or -1. */
    private int continuedAt = -1;
    /** Whether a move that took the pipeline forward was committed in this turn. */
    private boolean advanced;
    /** The hook call in progress, or null between hooks. */
    private volatile HookCall hookCall;
    /** Whether a claim renewal is on its way to the store. */
    private volatile boolean renewalQueued;
    /** Whether a write the store refused for its data was already counted as a failed attempt in this turn. */
    private boolean rejectionCounted;
    /** How often in this turn a move was written again after this orchestrator's own new claim. */
    private int retriesOnOwnClaim;
    /** Whether this orchestrator claimed the pipeline again, and the run took the claim, since its last commit. */
    private boolean adoptedSinceCommit;
    /** Whether the turn ended: a claim can no longer be taken over by this run. */
    private boolean ended;
    /** Whether the move on its way to the store carries a hook's result (so its loss counts as an execution). */
    private volatile boolean savingHookResult;

    /**
     * @param pipeline the claimed pipeline
     * @param steps its step records by position (only those from the current step on are needed)
     * @param tracker the pass (or the start) the run counts toward
     */
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

    StepRecord step(int position) {
        return steps[position];
    }

    /** @return the record of the current step, or null if the run moved back to a step it has not read */
    StepRecord currentStep() {
        return steps[pipeline.currentStep()];
    }

    /** Takes in a step record read from the store (an earlier step the run moved back to, to compensate it). */
    synchronized void read(StepRecord step) {
        steps[step.position()] = step;
    }

    Tracker tracker() {
        return tracker;
    }

    /** @return what the step machine decides from */
    RunState state(RunState.Unsaved unsaved) {
        return new RunState(pipeline, currentStep(), continuedAt == pipeline.currentStep(), tracker.passStart(),
                unsaved);
    }

    /** @return what the step machine decides from, for a move that follows a hook call */
    RunState state() {
        return state(RunState.Unsaved.NONE);
    }

    /** Takes in records as they were committed. */
    synchronized void committed(List<StoredRecord> stored) {
        for (StoredRecord record : stored) {
            if (record instanceof PipelineRecord p) {
                // a claim of our own may have landed after this write and been adopted: never step back, and
                // remember the adopted claim, which this commit did not use
                if (p.version() > pipeline.version()) {
                    pipeline = p;
                    adoptedSinceCommit = false;
                }
            } else if (record instanceof StepRecord step) {
                steps[step.position()] = step;
            }
        }
    }

    /**
     * Takes over a newer record of the pipeline that this orchestrator claimed itself, if it is newer than the one
     * the run holds (the claimer and the committer may race; the newer version wins).
     */
    synchronized void claimedAgain(PipelineRecord claimed) {
        if (claimed.version() > pipeline.version()) {
            pipeline = claimed;
            adoptedSinceCommit = true;
        }
    }

    /**
     * Takes over a claim this orchestrator made while the run is in flight, unless its turn already ended.
     *
     * @return false if the turn ended: the claim is the claimer's to launch
     */
    synchronized boolean adopt(PipelineRecord claimed) {
        if (ended) {
            return false;
        }
        claimedAgain(claimed);
        return true;
    }

    /** Marks the turn ended, whatever ended it. */
    synchronized void markEnded() {
        ended = true;
    }

    /**
     * Ends the turn, unless a claim was taken over since the last commit (then the run must take another turn).
     *
     * @return true if the turn ended
     */
    synchronized boolean endUnlessAdopted() {
        if (adoptedSinceCommit) {
            adoptedSinceCommit = false;
            return false;
        }
        ended = true;
        return true;
    }

    /** @return true once per turn: the first refused write is counted, a refused count ends the turn */
    boolean mayCountRejection() {
        boolean first = !rejectionCounted;
        rejectionCounted = true;
        return first;
    }

    /** @return true while a turn has written a move again after its own new claim fewer than 3 times */
    boolean mayRetryOnOwnClaim() {
        return retriesOnOwnClaim++ < 3;
    }

    boolean savingHookResult() {
        return savingHookResult;
    }

    void savingHookResult(boolean saving) {
        savingHookResult = saving;
    }

    void continuing() {
        continuedAt = pipeline.currentStep();
    }

    void advanced() {
        advanced = true;
    }

    boolean hasAdvanced() {
        return advanced;
    }

    HookCall hookCall() {
        return hookCall;
    }

    void hookCall(HookCall call) {
        hookCall = call;
    }

    boolean renewalQueued() {
        return renewalQueued;
    }

    void renewalQueued(boolean queued) {
        renewalQueued = queued;
    }
}
