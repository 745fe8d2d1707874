package io.prorch.internal.engine;

import io.prorch.PipelineNotFoundException;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * Cancels pipelines from outside: the {@link StepMachine}'s cancel move, written conditionally on the versions read,
 * and read again after a race. A run in flight then finds its next write refused and ends its turn.
 */
final class Cancels {
    private static final int ATTEMPTS = 20;

    private final IRepository repository;
    private final Clock clock;
    private final Listeners listeners;

    Cancels(IRepository repository, Clock clock, Listeners listeners) {
        this.repository = repository;
        this.clock = clock;
        this.listeners = listeners;
    }

    boolean cancel(UUID pipelineId, String reason) {
        String why = ErrorSummary.reason(reason);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            PipelineRecord pipeline = repository.get(Model.PIPELINE, pipelineId)
                    .orElseThrow(() -> new PipelineNotFoundException(pipelineId));
            if (pipeline.status().isTerminal()) {
                return false;
            }
            StepRecord step = repository.get(Model.STEP, StepRecord.idOf(pipelineId, pipeline.currentStep()))
                    .orElse(null);
            Move cancel = StepMachine.cancel(step, why, Clocks.now(clock));
            try {
                List<StoredRecord> stored = repository.updateAll(Move.apply(List.of(cancel), pipeline,
                        position -> step));
                if (listeners.any()) {
                    listeners.committed(pipeline, position -> step, stored);
                }
                return true;
            } catch (VersionConflictException raced) {
                // a hook's move or a claim got there first: read again and retry
            }
        }
        throw new RepositoryException("Cancel of pipeline " + pipelineId + " lost " + ATTEMPTS
                + " races in a row with other writers; try again");
    }
}
