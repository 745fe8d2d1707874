package io.prorch.internal.registry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated pipeline: a {@code @Pipeline} class, or a version of an {@code io.prorch.PipelineDefinition}.
 *
 * @param name the pipeline's stored name
 * @param type the pipeline class, or null for a defined pipeline
 * @param steps its steps in order
 * @param version the defined pipeline's version, or 0 for a {@code @Pipeline} class
 */
public record PipelineDefinition(String name, Class<?> type, List<StepDefinition> steps, int version) {
    /** Copies {@code steps}. */
    public PipelineDefinition {
        steps = List.copyOf(steps);
    }

    /** A {@code @Pipeline} class. */
    public PipelineDefinition(String name, Class<?> type, List<StepDefinition> steps) {
        this(name, type, steps, 0);
    }

    /** @return the step names in order, as a new run records them */
    public List<String> stepNames() {
        return steps.stream().map(StepDefinition::name).toList();
    }

    /** @return a new run's metadata: {@code input}, with the version recorded for a defined pipeline */
    public Map<String, Object> runMetadata(Map<String, Object> input) {
        if (version == 0) {
            return input;
        }
        Map<String, Object> metadata = new HashMap<>(input);
        metadata.put(io.prorch.PipelineDefinition.VERSION_KEY, (long) version);
        return metadata;
    }
}
