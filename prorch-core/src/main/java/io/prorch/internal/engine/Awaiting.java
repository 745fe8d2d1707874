package io.prorch.internal.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which signals a step waits for, and until when, kept in the step's metadata under the reserved key {@value #KEY}
 * (a map of signal name to deadline, ISO-8601), so that it is saved with the step's transition like everything else
 * the step knows.
 */
final class Awaiting {
    /** The reserved metadata key. */
    static final String KEY = "_prorch.awaiting";

    private Awaiting() {
    }

    /** @return {@code metadata} with {@code name} awaited until {@code deadline} */
    static Map<String, Object> with(Map<String, Object> metadata, String name, Instant deadline) {
        Map<String, Object> copy = new LinkedHashMap<>(metadata);
        Map<String, Object> waits = new LinkedHashMap<>(waits(metadata));
        waits.put(name, deadline.toString());
        copy.put(KEY, waits);
        return copy;
    }

    /** @return the deadline of the wait for {@code name}, or null if the step does not wait for it */
    static Instant deadline(Map<String, Object> metadata, String name) {
        Object deadline = waits(metadata).get(name);
        return deadline instanceof String text ? parse(text) : null;
    }

    /** @return the earliest deadline still ahead of {@code now}, or null if the step waits for nothing */
    static Instant nextDeadline(Map<String, Object> metadata, Instant now) {
        Instant next = null;
        for (Object value : waits(metadata).values()) {
            Instant deadline = value instanceof String text ? parse(text) : null;
            if (deadline != null && deadline.isAfter(now) && (next == null || deadline.isBefore(next))) {
                next = deadline;
            }
        }
        return next;
    }

    /** @return true if the step waits for any signal */
    static boolean any(Map<String, Object> metadata) {
        return !waits(metadata).isEmpty();
    }

    /** @return the names of the signals the step waits for */
    static Set<String> names(Map<String, Object> metadata) {
        return waits(metadata).keySet();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> waits(Map<String, Object> metadata) {
        Object waits = metadata.get(KEY);
        return waits instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static Instant parse(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return null;   // edited by hand: treated as no wait rather than failing the step
        }
    }
}
