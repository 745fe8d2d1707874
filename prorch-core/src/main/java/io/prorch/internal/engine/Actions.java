package io.prorch.internal.engine;

import io.prorch.PipelineChangedException;
import io.prorch.PipelineNotFoundException;
import io.prorch.Status;
import io.prorch.internal.registry.Definitions;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What is done to pipelines from outside: cancel, and the operator's retry, resume and restart. Each is a move of the
 * {@link StepMachine}, written conditionally on the versions read, so a run in flight finds its next write refused
 * and ends its turn. The operator's actions are also conditional on the version the operator saw.
 */
final class Actions {
    private static final int ATTEMPTS = 20;

    private final IRepository repository;
    private final Clock clock;
    private final Listeners listeners;
    private final Definitions definitions;
    private final History history;

    Actions(IRepository repository, Clock clock, Listeners listeners, Definitions definitions, String owner) {
        this.definitions = definitions;
        this.repository = repository;
        this.clock = clock;
        this.listeners = listeners;
        this.history = new History(owner);
    }

    boolean cancel(UUID pipelineId, String reason, String actor) {
        String why = ErrorSummary.reason(reason);
        History.Action action = new History.Action("cancel", actor, reason);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            PipelineRecord pipeline = read(pipelineId);
            if (pipeline.status().isTerminal()) {
                return false;
            }
            // a pipeline being compensated stops there; one with steps to undo starts compensating them
            boolean compensating = Compensations.of(pipeline) != null;
            StepRecord step = compensating ? null : repository.get(Model.STEP, StepRecord.idOf(pipelineId,
                    pipeline.currentStep())).orElse(null);
            int undo = compensating ? -1 : Compensations.previous(definitions, pipeline.stepNames(),
                    pipeline.currentStep());
            Move cancel = undo >= 0 ? Compensations.cancel(step, why, undo, Clocks.now(clock))
                    : OperatorMoves.cancel(step, why, Clocks.now(clock));
            if (write(pipeline, List.of(cancel), position -> step, action)) {
                return true;
            }
        }
        throw new RepositoryException("Cancel of pipeline " + pipelineId + " lost " + ATTEMPTS
                + " races in a row with other writers; try again");
    }

    void retry(UUID pipelineId, long seenVersion, History.Action action) {
        PipelineRecord pipeline = seen(pipelineId, seenVersion);
        if (pipeline.status() != Status.FAILED) {
            throw new IllegalStateException("Pipeline " + pipelineId + " is " + name(pipeline.status())
                    + "; only a failed pipeline can be retried (restartFrom re-enters a step of any pipeline)");
        }
        StepRecord failed = step(pipeline, pipeline.currentStep());
        Move retry = OperatorMoves.retry(failed, Clocks.now(clock));
        if (!write(pipeline, Compensations.of(pipeline) == null ? List.of(retry)
                : List.of(retry, Compensations.compensateAgain(failed.position(), Clocks.now(clock))),
                position -> failed, action)) {
            throw changed(pipelineId, seenVersion);
        }
    }

    void resume(UUID pipelineId, long seenVersion, History.Action action) {
        PipelineRecord pipeline = seen(pipelineId, seenVersion);
        if (pipeline.status() != Status.PENDING || pipeline.isClaimedAt(Clocks.now(clock))) {
            throw new IllegalStateException("Pipeline " + pipelineId + " is " + (pipeline.status() == Status.PENDING
                    ? "running on " + pipeline.claimOwner() : name(pipeline.status()))
                    + "; only a pipeline that waits can be resumed");
        }
        if (!write(pipeline, List.of(OperatorMoves.resume(Clocks.now(clock))), position -> null, action)) {
            throw changed(pipelineId, seenVersion);
        }
    }

    void restartFrom(UUID pipelineId, String stepName, long seenVersion, History.Action action) {
        PipelineRecord pipeline = seen(pipelineId, seenVersion);
        int position = pipeline.stepNames().indexOf(stepName);
        if (position < 0) {
            throw new IllegalArgumentException("Pipeline " + pipelineId + " has no step named \"" + stepName
                    + "\"; its steps are " + pipeline.stepNames());
        }
        if (pipeline.status() == Status.PENDING && pipeline.isClaimedAt(Clocks.now(clock))) {
            throw new IllegalStateException("Pipeline " + pipelineId + " is running on " + pipeline.claimOwner()
                    + "; restart it once it waits, or cancel it first");
        }
        List<StepRecord> steps = new ArrayList<>();
        for (int i = position; i < pipeline.stepNames().size(); i++) {
            steps.add(step(pipeline, i));
        }
        if (!write(pipeline, List.of(OperatorMoves.restartFrom(position, steps, Clocks.now(clock)),
                Compensations.forward()), i -> steps.get(i - position), action)) {
            throw changed(pipelineId, seenVersion);
        }
    }

    private PipelineRecord read(UUID pipelineId) {
        return repository.get(Model.PIPELINE, pipelineId).orElseThrow(() -> new PipelineNotFoundException(pipelineId));
    }

    private PipelineRecord seen(UUID pipelineId, long seenVersion) {
        PipelineRecord pipeline = read(pipelineId);
        if (pipeline.version() != seenVersion) {
            throw changed(pipelineId, seenVersion);
        }
        return pipeline;
    }

    private StepRecord step(PipelineRecord pipeline, int position) {
        return repository.get(Model.STEP, StepRecord.idOf(pipeline.id(), position)).orElseThrow(() ->
                new RepositoryException("Pipeline " + pipeline.id() + " has no step record at position " + position
                        + " (deleted by hand?); it cannot be changed by an operator action"));
    }

    /** @return false if another writer got there first (nothing was written) */
    private boolean write(PipelineRecord pipeline, List<Move> moves, java.util.function.IntFunction<StepRecord> steps,
                          History.Action action) {
        try {
            List<StoredRecord> records = new ArrayList<>(Move.apply(moves, pipeline, steps));
            records.addAll(history.of(pipeline, steps, records, action));
            List<StoredRecord> stored = repository.updateAll(records);
            if (listeners.any()) {
                listeners.committed(pipeline, steps, stored);
            }
            return true;
        } catch (VersionConflictException raced) {
            return false;
        }
    }

    private PipelineChangedException changed(UUID pipelineId, long seenVersion) {
        long now = repository.get(Model.PIPELINE, pipelineId).map(PipelineRecord::version).orElse(-1L);
        return new PipelineChangedException(pipelineId, seenVersion, now);
    }

    private static String name(Status status) {
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }
}
