package io.prorch.internal.registry;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** Every pipeline and step an orchestrator knows, by name and by class. Immutable. */
public final class Definitions {
    private final Map<String, PipelineDefinition> pipelinesByName;
    private final Map<Class<?>, PipelineDefinition> pipelinesByClass;
    private final Map<String, StepDefinition> stepsByName;

    Definitions(Map<String, PipelineDefinition> pipelinesByName, Map<Class<?>, PipelineDefinition> pipelinesByClass,
                Map<String, StepDefinition> stepsByName) {
        this.pipelinesByName = Map.copyOf(pipelinesByName);
        this.pipelinesByClass = Map.copyOf(pipelinesByClass);
        this.stepsByName = Map.copyOf(stepsByName);
    }

    /** @return the pipeline stored under {@code name} */
    public Optional<PipelineDefinition> pipeline(String name) {
        return Optional.ofNullable(pipelinesByName.get(name));
    }

    /** @return the pipeline defined by {@code type} */
    public Optional<PipelineDefinition> pipeline(Class<?> type) {
        return Optional.ofNullable(pipelinesByClass.get(type));
    }

    /** @return the step stored under {@code name} */
    public Optional<StepDefinition> step(String name) {
        return Optional.ofNullable(stepsByName.get(name));
    }

    /** @return every pipeline */
    public Collection<PipelineDefinition> pipelines() {
        return pipelinesByName.values();
    }

    /** @return every step */
    public Collection<StepDefinition> steps() {
        return stepsByName.values();
    }

    /** @return the names of all pipelines, sorted, for messages */
    public String pipelineNames() {
        return pipelinesByName.keySet().stream().sorted().toList().toString();
    }
}
