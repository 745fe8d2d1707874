package io.prorch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A read-only snapshot of a pipeline and its steps, as {@link Orchestrator#find(UUID)} returns it.
 *
 * @param id the pipeline's id
 * @param name its {@code @Pipeline} name
 * @param status its status
 * @param currentStep index of the step being driven (the last one once it ended)
 * @param steps its steps in order (a step record missing from the store is left out)
 * @param metadata the shared pipeline metadata (unmodifiable)
 * @param lastError the last problem seen (unknown name, failure, cancel reason), or null
 * @param dueAt when it is next continued, or null once it ended
 * @param claimOwner the orchestrator holding its claim, or null
 * @param createdAt when it was started
 * @param updatedAt when it last changed
 * @param version the stored version this snapshot shows; operator actions ({@code retry}, {@code resume},
 *     {@code restartFrom}) take it, and are refused if the pipeline changed since
 */
public record PipelineView(UUID id, String name, Status status, int currentStep, List<StepView> steps,
                           Map<String, Object> metadata, String lastError, Instant dueAt, String claimOwner,
                           Instant createdAt, Instant updatedAt, long version) {

    /** The reserved metadata key under which a child pipeline names its parent ({@code StepContext.startChild}). */
    public static final String PARENT_KEY = "_prorch.parent";

    /** @return the id of the pipeline whose step started this one ({@code StepContext.startChild}), if any */
    public Optional<UUID> parentId() {
        if (metadata.get(PARENT_KEY) instanceof Map<?, ?> parent && parent.get("id") instanceof String id) {
            try {
                return Optional.of(UUID.fromString(id));
            } catch (IllegalArgumentException edited) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** @return the step with {@code name} (the first, if the pipeline has it twice) */
    public Optional<StepView> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
