package io.prorch;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A registered pipeline definition as {@link Orchestrator#definitions()} lists it: its stored name, its class and the
 * names of its steps in order, for tools that draw or document pipelines (the status page of {@code prorch-web}).
 *
 * @param name the {@code @Pipeline} name pipelines are stored under
 * @param type the fully qualified name of the {@code @Pipeline} class
 * @param steps the step names in order, as a new run records them (never empty)
 */
public record PipelineDefinitionView(String name, String type, List<String> steps) {
    /**
     * Copies {@code steps}.
     *
     * @throws NullPointerException if an argument or a step name is null
     */
    public PipelineDefinitionView {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
        steps = List.copyOf(requireNonNull(steps, "steps"));
    }
}
