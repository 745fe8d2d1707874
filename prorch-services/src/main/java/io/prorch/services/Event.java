package io.prorch.services;

import io.prorch.Status;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An event: one run of a workflow, as {@code POST /e/{workflow}} and {@code GET /e/{event-id}} show it.
 *
 * @param id the event id, which is the pipeline id
 * @param workflow the workflow's name
 * @param ackAt when the event was accepted (its start saved), or when it was read
 * @param status the run's status
 * @param outputs the workflow's outputs once {@code finished}, else empty
 * @param error why it failed or was cancelled, or null
 */
public record Event(UUID id, String workflow, Instant ackAt, Status status, Map<String, Object> outputs,
                    String error) {
    /** Copies {@code outputs}. */
    public Event {
        outputs = Map.copyOf(outputs);
    }
}
