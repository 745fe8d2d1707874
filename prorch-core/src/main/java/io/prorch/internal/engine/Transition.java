package io.prorch.internal.engine;

import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A change to one run's records, applied by the committer to the run's latest committed records at write time (so
 * a claim renewal committed in between does not make it stale), and what to do once it is committed.
 *
 * @param run the run it belongs to
 * @param pipelineChange the change to the pipeline record
 * @param stepChanges changes to step records, each keyed by its position
 * @param next what the run does after the commit
 * @param outcome how the turn ended, when {@code next} is {@link Next#END_TURN}
 * @param problem a problem to report in the pass summary, or null
 * @param progress whether this transition moves the pipeline forward (counted as "advanced")
 */
record Transition(Run run, UnaryOperator<PipelineRecord> pipelineChange, List<StepChange> stepChanges, Next next,
                  Outcome outcome, String problem, boolean progress) {

    /** After the commit: drive the next hook, end the turn, or nothing (a claim renewal). */
    enum Next { DRIVE_ON, END_TURN, NOTHING }

    /**
     * @param position the step's position
     * @param change the change to its record
     */
    record StepChange(int position, UnaryOperator<StepRecord> change) {
    }

    static Transition renewal(Run run, UnaryOperator<PipelineRecord> extend) {
        return new Transition(run, extend, List.of(), Next.NOTHING, null, null, false);
    }
}
