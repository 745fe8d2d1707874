package io.prorch.services;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * orch_serv's message standard: what the orchestrator sends a service for one step of a flow, and what the service
 * answers. Its JSON form, the same both ways:
 *
 * <pre>{@code
 * {"id": "3f1c...:2",                // the step's idempotency key: the same on every retry of this step
 *  "flow": "Task1", "step": "service2",
 *  "data": {"text": "hello"},        // the request's data; in the answer, the service's results
 *  "error": null,                    // in the answer: why the command failed (the step then fails), else null
 *  "sent_at": "2026-12-07T00:00:00Z", "answered_at": null}   // ISO-8601 instants; answered_at set by the service
 * }</pre>
 *
 * @param id the step's idempotency key; services deduplicate by it
 * @param flow the flow's name
 * @param step the step's name (the block's)
 * @param data JSON-compatible values
 * @param error why the command failed, or null
 * @param sentAt when the orchestrator sent it
 * @param answeredAt when the service answered, or null in a request
 */
public record Envelope(String id, String flow, String step, Map<String, Object> data, String error, Instant sentAt,
                       Instant answeredAt) {
    /**
     * Checks the required fields and copies {@code data} (null becomes empty).
     *
     * @throws NullPointerException if {@code id}, {@code flow}, {@code step} or {@code sentAt} is null
     */
    public Envelope {
        requireNonNull(id, "id");
        requireNonNull(flow, "flow");
        requireNonNull(step, "step");
        requireNonNull(sentAt, "sentAt");
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** @return this request answered with {@code results} at {@code now} */
    public Envelope answer(Map<String, Object> results, Instant now) {
        return new Envelope(id, flow, step, results, null, sentAt, now);
    }

    /** @return this request answered with an error at {@code now} */
    public Envelope failure(String why, Instant now) {
        return new Envelope(id, flow, step, Map.of(), requireNonNull(why, "why"), sentAt, now);
    }

    /** @return the JSON form */
    public String toJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("flow", flow);
        map.put("step", step);
        map.put("data", data);
        map.put("error", error);
        map.put("sent_at", sentAt.toString());
        map.put("answered_at", answeredAt == null ? null : answeredAt.toString());
        return Json.write(map);
    }

    /**
     * @return the envelope in {@code json}
     * @throws NullPointerException if {@code json} is null
     * @throws IllegalArgumentException naming the field at fault if it is not an envelope
     */
    public static Envelope fromJson(String json) {
        Map<String, Object> map = Json.object(json, "envelope");
        try {
            Object data = map.get("data");
            if (data != null && !(data instanceof Map)) {
                throw new IllegalArgumentException("\"data\" must be an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) data;
            return new Envelope(text(map, "id"), text(map, "flow"), text(map, "step"), values,
                    (String) map.get("error"), Instant.parse(text(map, "sent_at")),
                    map.get("answered_at") == null ? null : Instant.parse(text(map, "answered_at")));
        } catch (ClassCastException | NullPointerException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not an envelope (id, flow, step, data, error, sent_at, answered_at): "
                    + e.getMessage());
        }
    }

    private static String text(Map<String, Object> map, String key) {
        if (!(map.get(key) instanceof String s)) {
            throw new IllegalArgumentException("envelope field \"" + key + "\" must be a string, but was "
                    + map.get(key));
        }
        return s;
    }
}
