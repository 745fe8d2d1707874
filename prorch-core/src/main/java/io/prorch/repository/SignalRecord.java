package io.prorch.repository;

import static java.util.Objects.requireNonNull;

import io.prorch.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A stored signal: something that happened outside (an approval, a webhook, a reply) sent to one pipeline, kept
 * until a step of that pipeline reads it. It is consumed in the same commit as the step transition that read it, so
 * it is delivered exactly once.
 *
 * @param id the signal's id: random, or {@link #idFor} a sender's key so that a repeated send is stored once
 * @param pipelineId the pipeline it is sent to
 * @param name what it says, e.g. {@code "approved"}; a step waits for signals by name
 * @param status {@code PENDING} until a step consumed it, then {@code FINISHED}
 * @param payload what came with it: JSON-compatible values, canonical like metadata
 * @param version optimistic-concurrency version: 0 when saved, +1 per update
 * @param createdAt when it was sent; signals of one name are read in this order
 * @param updatedAt when it last changed
 * @param consumedByStep the position of the step that consumed it, or -1 while it is pending
 */
public record SignalRecord(
        UUID id,
        UUID pipelineId,
        String name,
        Status status,
        Map<String, Object> payload,
        long version,
        Instant createdAt,
        Instant updatedAt,
        int consumedByStep) implements StoredRecord {

    /** The longest signal name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 200;

    /**
     * Validates and copies every field.
     *
     * @throws NullPointerException naming the first required field that is null
     * @throws IllegalArgumentException for a blank or too long name, a status other than pending or finished, a
     *     negative version, a payload JSON cannot hold, or a consumer that does not match the status
     */
    public SignalRecord {
        requireNonNull(id, "id");
        requireNonNull(pipelineId, "pipelineId");
        requireNonNull(name, "name");
        requireNonNull(status, "status");
        requireNonNull(createdAt, "createdAt");
        requireNonNull(updatedAt, "updatedAt");
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("Signal " + id + ": name must be 1 to " + MAX_NAME_LENGTH
                    + " non-blank characters, but was \"" + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                    + "\"");
        }
        if (status != Status.PENDING && status != Status.FINISHED) {
            throw new IllegalArgumentException("Signal " + id + ": status must be PENDING or FINISHED (consumed), but"
                    + " was " + status);
        }
        if ((status == Status.FINISHED) != (consumedByStep >= 0) || consumedByStep < -1) {
            throw new IllegalArgumentException("Signal " + id + ": consumedByStep must be a step position exactly when"
                    + " the signal is consumed (FINISHED), -1 otherwise, but was " + consumedByStep + " with " + status);
        }
        if (version < 0) {
            throw new IllegalArgumentException("Signal " + id + ": version must not be negative, but was " + version);
        }
        payload = JsonValues.canonicalMap(requireNonNull(payload, "payload"), "Signal payload");
    }

    /**
     * A signal as {@code signal(..)} saves it: pending, version 0.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as the canonical constructor does
     */
    public static SignalRecord sent(UUID id, UUID pipelineId, String name, Map<String, ?> payload, Instant now) {
        return new SignalRecord(id, pipelineId, name, Status.PENDING, JsonValues.canonicalMap(
                requireNonNull(payload, "payload"), "Signal payload"), 0, now, now, -1);
    }

    /**
     * The id of the signal a sender sends with {@code key} to a pipeline: the same for the same arguments, so that a
     * repeated send (a retried webhook) finds the signal already stored.
     *
     * @throws NullPointerException if an argument is null
     */
    public static UUID idFor(UUID pipelineId, String key) {
        requireNonNull(pipelineId, "pipelineId");
        requireNonNull(key, "key");
        return UUID.nameUUIDFromBytes(("signal/" + pipelineId + "/" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** @return the payload: a signal's metadata */
    @Override
    public Map<String, Object> metadata() {
        return payload;
    }

    /** @return true until a step consumed it */
    public boolean isPending() {
        return status == Status.PENDING;
    }

    @Override
    public SignalRecord withVersion(long version) {
        return new SignalRecord(id, pipelineId, name, status, payload, version, createdAt, updatedAt, consumedByStep);
    }

    /** @return a copy consumed by the step at {@code position} at {@code now} */
    public SignalRecord consumedBy(int position, Instant now) {
        return new SignalRecord(id, pipelineId, name, Status.FINISHED, payload, version, createdAt, now, position);
    }
}
