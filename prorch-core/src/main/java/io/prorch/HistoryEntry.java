package io.prorch;

import static java.util.Objects.requireNonNull;

import io.prorch.repository.HistoryRecord;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a pipeline's history, as {@link Orchestrator#history(UUID)} returns it: a transition of the pipeline or
 * of one of its steps, or an operator's action. See {@link HistoryRecord} for the bounds of each text.
 *
 * @param id the entry's id
 * @param pipelineId the pipeline
 * @param stepName the step, or null for an entry about the pipeline itself
 * @param fromStatus the status before, or null for the start
 * @param toStatus the status after
 * @param attempt the step's failed attempts after the transition
 * @param orchestratorId the orchestrator that wrote it, or null
 * @param at when it happened (the database's time where the store has a clock)
 * @param errorType the error's type, or null
 * @param errorMessage the error's message, or the reason a hook gave to fail or cancel, or null
 * @param errorStack a bounded stack summary, or null
 * @param signal the signal(s) consumed, or null
 * @param action {@code "retry"}, {@code "resume"}, {@code "restartFrom"} or {@code "cancel"}, or null ({@code "finish"}
 *     only from {@link #of} of a record so marked)
 * @param actor who did the action, or null
 * @param reason why, or null
 */
public record HistoryEntry(UUID id, UUID pipelineId, String stepName, Status fromStatus, Status toStatus, int attempt,
                           String orchestratorId, Instant at, String errorType, String errorMessage, String errorStack,
                           String signal, String action, String actor, String reason) {
    /** @throws NullPointerException if {@code id}, {@code pipelineId}, {@code toStatus} or {@code at} is null */
    public HistoryEntry {
        requireNonNull(id, "id");
        requireNonNull(pipelineId, "pipelineId");
        requireNonNull(toStatus, "toStatus");
        requireNonNull(at, "at");
    }

    /**
     * Maps one stored record to one entry, as it is. A record marked {@link HistoryRecord#FINISH} stands for two
     * transitions written together (its step's, then the pipeline's finish): this keeps it one entry whose
     * {@code action} is {@code "finish"}, where {@link Orchestrator#history(UUID)} reads it as the two entries.
     *
     * @return the entry of a stored history record
     * @throws NullPointerException if {@code record} is null
     */
    public static HistoryEntry of(HistoryRecord record) {
        return new HistoryEntry(record.id(), record.pipelineId(), record.stepName(), record.fromStatus(),
                record.toStatus(), record.attempt(), record.orchestratorId(), record.at(), record.errorType(),
                record.errorMessage(), record.errorStack(), record.signal(), record.action(), record.actor(),
                record.reason());
    }
}
