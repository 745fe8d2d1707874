package io.prorch.internal.registry;

import java.util.List;

/**
 * A validated {@code @Pipeline} class.
 *
 * @param name the pipeline's stored name
 * @param type the pipeline class
 * @param steps its steps in order
 */
public record PipelineDefinition(String name, Class<?> type, List<StepDefinition> steps) {
    /** Copies {@code steps}. */
    public PipelineDefinition {
        steps = List.copyOf(steps);
    }

    /** @return the step names in order, as a new run records them */
    public List<String> stepNames() {
        return steps.stream().map(StepDefinition::name).toList();
    }
}
