package io.prorch.internal.engine;

import io.prorch.Status;
import io.prorch.internal.engine.Move.Next;
import io.prorch.internal.engine.Move.StepChange;
import io.prorch.repository.StepRecord;
import java.time.Instant;
import java.util.List;

/**
 * The moves an operator makes from outside a run (cancel, retry, resume, restart from a step), as edges of the state
 * diagram in {@link StepMachine}. Pure: no I/O, no clock of its own.
 */
final class OperatorMoves {
    private OperatorMoves() {
    }

    /**
     * Cancels a pipeline from outside: it and its current step (unless that step already ended) become
     * {@code cancelled} with the reason, unclaimed and never due again.
     *
     * @param step the record of the pipeline's current step, or null if it cannot be read
     */
    static Move cancel(StepRecord step, String reason, Instant now) {
        List<StepChange> steps = step == null || step.status().isTerminal() ? List.of()
                : List.of(new StepChange(step.position(),
                        s -> s.withStatus(Status.CANCELLED).withLastError(reason).withUpdatedAt(now)));
        return new Move(p -> p.withStatus(Status.CANCELLED).withLastError("Cancelled: " + reason)
                .withClaim(null, null).withDueAt(null).withUpdatedAt(now), steps, Next.END_TURN, Outcome.CANCELLED,
                null, true);
    }

    /**
     * An operator's retry of a failed pipeline: its failed step is entered again ({@code onStart} runs again) with the
     * attempt count reset, and the pipeline is pending and due at once.
     */
    static Move retry(StepRecord failed, Instant now) {
        return new Move(p -> p.withStatus(Status.PENDING).withLastError(null).withClaim(null, null).withDueAt(now)
                .withUpdatedAt(now), List.of(new StepChange(failed.position(), s -> s.withStatus(Status.CREATED)
                .withAttempts(0).withLastError(null).withUpdatedAt(now))), Next.NOTHING, null, null, true);
    }

    /** An operator's resume of a waiting pipeline: due at once, whatever its step waited for. */
    static Move resume(Instant now) {
        return new Move(p -> p.withDueAt(now).withUpdatedAt(now), List.of(), Next.NOTHING, null, null, false);
    }

    /**
     * An operator's restart of a pipeline from the step at {@code position}: that step and every later one are
     * {@code created} again (their metadata kept, their attempts reset), and the pipeline is pending there, due at once.
     *
     * @param steps the pipeline's step records from {@code position} on
     */
    static Move restartFrom(int position, List<StepRecord> steps, Instant now) {
        List<StepChange> changes = steps.stream().map(step -> new StepChange(step.position(), s -> s
                .withStatus(Status.CREATED).withAttempts(0).withLastError(null).withUpdatedAt(now))).toList();
        return new Move(p -> p.withStatus(Status.PENDING).withCurrentStep(position).withLastError(null)
                .withClaim(null, null).withDueAt(now).withUpdatedAt(now), changes, Next.NOTHING, null, null, true);
    }
}
