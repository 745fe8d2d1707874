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
 * @param stepNames the names of {@code steps}, in order: one list shared by every run this definition starts, which
 *     its records keep as it is instead of copying it
 */
public record PipelineDefinition(String name, Class<?> type, List<StepDefinition> steps, int version,
                                 List<String> stepNames) {
    /** Copies {@code steps} and {@code stepNames}. */
    public PipelineDefinition {
        steps = List.copyOf(steps);
        stepNames = List.copyOf(stepNames);
    }

    /** A version of a defined pipeline, its step names taken from {@code steps}. */
    public PipelineDefinition(String name, Class<?> type, List<StepDefinition> steps, int version) {
        this(name, type, steps, version, steps.stream().map(StepDefinition::name).toList());
    }

    /** A {@code @Pipeline} class. */
    public PipelineDefinition(String name, Class<?> type, List<StepDefinition> steps) {
        this(name, type, steps, 0);
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
