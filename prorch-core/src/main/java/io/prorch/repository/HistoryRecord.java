package io.prorch.repository;

import static java.util.Objects.requireNonNull;

import io.prorch.Status;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One entry of a pipeline's history: a transition of the pipeline or of one of its steps, or an operator's action.
 * Append-only: saved in the same commit as the transition it tells of ({@link IRepository#updateAll} inserts history
 * records), never updated; removed only with its pipeline by retention.
 *
 * @param id the entry's id; {@link #newId()} makes ids that sort in creation order within one JVM
 * @param pipelineId the pipeline it tells of
 * @param stepName the step's name, or null for an entry about the pipeline itself
 * @param position the step's position, or -1 for an entry about the pipeline itself
 * @param fromStatus the status before, or null for a start
 * @param toStatus the status after
 * @param attempt the step's failed attempts after the transition (0 for the pipeline)
 * @param orchestratorId the orchestrator that wrote it, or null (an action from outside an orchestrator)
 * @param at when it happened: the time of the transition (the store's clock where it has one)
 * @param errorType the type of the error it records, or null
 * @param errorMessage the error's message or the reason given to fail or cancel, or null
 * @param errorStack the error's stack summary, at most {@link #MAX_STACK} characters, or null
 * @param signal the name of the signal consumed by the transition (several joined by {@code ", "}), or null
 * @param action {@code "retry"}, {@code "resume"}, {@code "restartFrom"} or {@code "cancel"} for an operator's
 *     action; on a step's entry {@value #FINISH}: the pipeline finished in the same write (one row records both
 *     transitions, and {@code Orchestrator.history} shows them as two entries); else null
 * @param actor who did the action, or null
 * @param reason why the action was done, or null
 */
public record HistoryRecord(
        UUID id,
        UUID pipelineId,
        String stepName,
        int position,
        Status fromStatus,
        Status toStatus,
        int attempt,
        String orchestratorId,
        Instant at,
        String errorType,
        String errorMessage,
        String errorStack,
        String signal,
        String action,
        String actor,
        String reason) implements StoredRecord {

    /** The longest step name, orchestrator id, error type, signal names and actor kept, in characters. */
    public static final int MAX_NAME = 200;
    /** The longest error message and reason kept, in characters. */
    public static final int MAX_MESSAGE = 1000;
    /** The longest stack summary kept, in characters. */
    public static final int MAX_STACK = 4000;
    /** On a step's entry: the pipeline finished (from pending) in the same write as this step's transition. */
    public static final String FINISH = "finish";
    /** The actions an entry can record: an operator's on any entry, {@link #FINISH} on a step's. */
    public static final Set<String> ACTIONS = Set.of("retry", "resume", "restartFrom", "cancel", FINISH);

    private static final AtomicLong LAST_MICROS = new AtomicLong();

    /**
     * Validates every field.
     *
     * @throws NullPointerException if {@code id}, {@code pipelineId}, {@code toStatus} or {@code at} is null
     * @throws IllegalArgumentException for a field longer than its bound, a negative attempt, a position below -1, a
     *     step name without a position (or the reverse), or an unknown action
     */
    public HistoryRecord {
        requireNonNull(id, "id");
        requireNonNull(pipelineId, "pipelineId");
        requireNonNull(toStatus, "toStatus");
        requireNonNull(at, "at");
        if (position < -1 || (stepName == null) != (position == -1)) {
            throw new IllegalArgumentException("History entry " + id + ": a step entry has a step name and a position"
                    + " >= 0, a pipeline entry neither, but was \"" + stepName + "\" at " + position);
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("History entry " + id + ": attempt must not be negative, but was "
                    + attempt);
        }
        if (action != null && !ACTIONS.contains(action)) {
            throw new IllegalArgumentException("History entry " + id + ": action must be null or one of " + ACTIONS
                    + ", but was \"" + action + "\"");
        }
        if (FINISH.equals(action) && stepName == null) {
            throw new IllegalArgumentException("History entry " + id + ": action \"" + FINISH + "\" belongs on a step's"
                    + " entry (the pipeline finished with it), not on the pipeline's");
        }
        check(id, "stepName", stepName, MAX_NAME);
        check(id, "orchestratorId", orchestratorId, MAX_NAME);
        check(id, "errorType", errorType, MAX_NAME);
        check(id, "signal", signal, MAX_NAME);
        check(id, "actor", actor, MAX_NAME);
        check(id, "errorMessage", errorMessage, MAX_MESSAGE);
        check(id, "reason", reason, MAX_MESSAGE);
        check(id, "errorStack", errorStack, MAX_STACK);
    }

    /**
     * @return a new id whose most significant half counts microseconds since the epoch, strictly increasing within
     *     this JVM, so that entries written together sort in the order they were made
     */
    public static UUID newId() {
        long micros = System.currentTimeMillis() * 1000;
        long high = LAST_MICROS.updateAndGet(last -> Math.max(last + 1, micros));
        long low = ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        return new UUID(high, low);
    }

    /** @return 0: history entries are never updated */
    @Override
    public long version() {
        return 0;
    }

    /** @return an empty map: history entries have no metadata */
    @Override
    public Map<String, Object> metadata() {
        return Map.of();
    }

    /** @return {@link #at()} */
    @Override
    public Instant createdAt() {
        return at;
    }

    /** @return {@link #at()}: an entry never changes */
    @Override
    public Instant updatedAt() {
        return at;
    }

    /**
     * @return this record, for version 0
     * @throws UnsupportedOperationException for any other version: history entries are never updated
     */
    @Override
    public HistoryRecord withVersion(long version) {
        if (version != 0) {
            throw new UnsupportedOperationException("History entry " + id + " is append-only: it is saved once and"
                    + " never updated");
        }
        return this;
    }

    /**
     * @return {@code text} cut to {@code max} characters (with an ellipsis), or null for null: how a writer bounds
     *     what it records
     */
    public static String bounded(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    private static void check(UUID id, String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new IllegalArgumentException("History entry " + id + ": " + field + " must be at most " + max
                    + " characters, but was " + value.length() + "; bound it with HistoryRecord.bounded");
        }
    }
}
