package io.prorch.internal.engine;

import io.prorch.PipelineView;
import io.prorch.StepView;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds the read-only views {@code Orchestrator.find} returns. */
public final class Views {
    private Views() {
    }

    /** @return the view of {@code pipeline}, with its steps read from {@code repository} in one call */
    public static PipelineView of(PipelineRecord pipeline, IRepository repository) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < pipeline.stepNames().size(); i++) {
            ids.add(StepRecord.idOf(pipeline.id(), i));
        }
        List<StepView> steps = new ArrayList<>();
        for (StepRecord s : repository.getAll(Model.STEP, ids)) {
            steps.add(new StepView(s.id(), s.name(), s.position(), s.status(), s.metadata(), s.attempts(),
                    s.lastError(), s.createdAt(), s.updatedAt()));
        }
        return new PipelineView(pipeline.id(), pipeline.name(), pipeline.status(), pipeline.currentStep(),
                List.copyOf(steps), pipeline.metadata(), pipeline.lastError(), pipeline.dueAt(),
                pipeline.claimOwner(), pipeline.createdAt(), pipeline.updatedAt(), pipeline.version());
    }
}
