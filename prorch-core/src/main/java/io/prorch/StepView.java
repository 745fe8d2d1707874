package io.prorch;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A read-only snapshot of one step of a pipeline, as {@link Orchestrator#find(UUID)} returns it.
 *
 * @param id the step record's id
 * @param name the step's name
 * @param position its index in the pipeline, from 0
 * @param status its status
 * @param metadata its metadata (unmodifiable)
 * @param attempts how many hook invocations failed with an exception
 * @param lastError the last error or fail / cancel reason, or null
 * @param createdAt when it was saved
 * @param updatedAt when it last changed
 */
public record StepView(UUID id, String name, int position, Status status, Map<String, Object> metadata,
                       int attempts, String lastError, Instant createdAt, Instant updatedAt) {
}
