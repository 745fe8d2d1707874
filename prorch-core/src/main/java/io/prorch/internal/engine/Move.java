package io.prorch.internal.engine;

import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SignalRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * One decision of the {@link StepMachine}: how a run's records change, and what the run does once that change is
 * committed. The changes are functions of the records, applied at write time to the latest committed ones, so a claim
 * renewal committed in between does not make them stale.
 *
 * @param pipelineChange the change to the pipeline record
 * @param stepChanges changes to step records, each keyed by its position
 * @param next what the run does after the commit
 * @param outcome how the turn ended, when {@code next} is {@link Next#END_TURN}
 * @param problem a problem to report in the pass summary and the log, or null
 * @param progress whether this move takes the pipeline forward (counted as "advanced")
 * @param signals signals consumed by this move, as they are to be written (version as read)
 */
record Move(UnaryOperator<PipelineRecord> pipelineChange, List<StepChange> stepChanges, Next next, Outcome outcome,
            String problem, boolean progress, List<SignalRecord> signals) {

    /** A move that consumes no signal. */
    Move(UnaryOperator<PipelineRecord> pipelineChange, List<StepChange> stepChanges, Next next, Outcome outcome,
         String problem, boolean progress) {
        this(pipelineChange, stepChanges, next, outcome, problem, progress, List.of());
    }

    /** @return this move, also consuming {@code consumed} */
    Move consuming(List<SignalRecord> consumed) {
        return consumed.isEmpty() ? this
                : new Move(pipelineChange, stepChanges, next, outcome, problem, progress, List.copyOf(consumed));
    }

    /** After the commit: drive the next hook, end the turn, or nothing (a claim renewal). */
    enum Next { DRIVE_ON, END_TURN, NOTHING }

    /**
     * @param position the step's position
     * @param change the change to its record
     */
    record StepChange(int position, UnaryOperator<StepRecord> change) {
    }

    /**
     * Applies several moves of one run, in order, to its records.
     *
     * @param moves the moves, oldest first
     * @param pipeline the run's committed pipeline record
     * @param steps the run's committed step record at a position
     * @return the records to write, the pipeline first (its version fences the rest), then steps and signals; empty if
     *     nothing changes
     */
    static List<StoredRecord> apply(List<Move> moves, PipelineRecord pipeline, IntFunction<StepRecord> steps) {
        PipelineRecord changed = pipeline;
        Map<Integer, StepRecord> changedSteps = new LinkedHashMap<>();
        for (Move move : moves) {
            changed = move.pipelineChange().apply(changed);
            for (StepChange change : move.stepChanges()) {
                StepRecord current = changedSteps.containsKey(change.position())
                        ? changedSteps.get(change.position()) : steps.apply(change.position());
                changedSteps.put(change.position(), change.change().apply(current));
            }
        }
        List<StoredRecord> records = new ArrayList<>(1 + changedSteps.size());
        List<SignalRecord> signals = new ArrayList<>(0);
        moves.forEach(m -> signals.addAll(m.signals()));
        if (changed != pipeline || !changedSteps.isEmpty() || !signals.isEmpty()) {
            records.add(changed);
            records.addAll(changedSteps.values());
            records.addAll(signals);
        }
        return records;
    }
}
