package io.prorch;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A signal as a hook reads it with {@link StepContext#signal(String)}.
 *
 * @param id the signal's id
 * @param name what it says, e.g. {@code "approved"}
 * @param payload what came with it (unmodifiable JSON-compatible values)
 * @param sentAt when it was sent, by the sender's orchestrator clock
 */
public record Signal(UUID id, String name, Map<String, Object> payload, Instant sentAt) {
}
