package io.prorch.internal.engine;

import io.prorch.Status;
import io.prorch.repository.HistoryRecord;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SignalRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The history entries of a write, found by comparing the records before it with those it writes: one per step whose
 * status or attempt count changes, and one for the pipeline when its status changes or an operator acts, except when
 * it finishes in the write of a step's entry: that entry records it ({@link HistoryRecord#FINISH}). Claim
 * renewals and waits that change no status write none, so a step polled a thousand times leaves no thousand entries.
 */
final class History {
    /**
     * An operator's action, recorded on the pipeline's entry.
     *
     * @param action {@code "retry"}, {@code "resume"}, {@code "restartFrom"} or {@code "cancel"}
     * @param actor who, or null
     * @param reason why, or null
     */
    record Action(String action, String actor, String reason) {
    }

    private final String owner;

    /** @param owner the id of the orchestrator writing the entries */
    History(String owner) {
        this.owner = bounded(owner, HistoryRecord.MAX_NAME);
    }

    /**
     * @param before the pipeline as committed before the write
     * @param stepsBefore the steps as committed before the write, by position
     * @param written the records the write changes, the pipeline first (from {@link Move#apply})
     * @param action the operator's action the write carries out, or null
     * @return the entries to write with {@code written}, in the order they happened (the steps, then the pipeline)
     */
    List<HistoryRecord> of(PipelineRecord before, IntFunction<StepRecord> stepsBefore, List<StoredRecord> written,
                           Action action) {
        if (written.isEmpty()) {
            return List.of();
        }
        PipelineRecord after = (PipelineRecord) written.get(0);
        List<HistoryRecord> entries = new ArrayList<>(2);
        for (StoredRecord record : written) {
            if (record instanceof StepRecord step) {
                StepRecord was = stepsBefore.apply(step.position());
                String signals = signals(written, step.position());
                if (was == null || was.status() != step.status() || was.attempts() != step.attempts()
                        || signals != null) {
                    entries.add(step(after, was, step, signals));
                }
            }
        }
        // a pipeline that finishes in the write of a step's entry is recorded on that entry (action "finish"): one row
        // fewer in every pipeline's last commit; Orchestrator.history shows the two transitions
        if (action == null && before.status() == Status.PENDING && after.status() == Status.FINISHED
                && !entries.isEmpty()) {
            entries.set(entries.size() - 1, finishing(entries.get(entries.size() - 1)));
        } else if (after.status() != before.status() || action != null) {
            String error = after.status() == Status.FAILED || after.status() == Status.CANCELLED
                    ? after.lastError() : null;
            entries.add(new HistoryRecord(HistoryRecord.newId(), after.id(), null, -1, before.status(),
                    after.status(), 0, owner, after.updatedAt(), null, bounded(error, HistoryRecord.MAX_MESSAGE),
                    null, null, action == null ? null : action.action(),
                    action == null ? null : bounded(action.actor(), HistoryRecord.MAX_NAME),
                    action == null ? null : bounded(action.reason(), HistoryRecord.MAX_MESSAGE)));
        }
        return entries;
    }

    private static HistoryRecord finishing(HistoryRecord e) {
        return new HistoryRecord(e.id(), e.pipelineId(), e.stepName(), e.position(), e.fromStatus(), e.toStatus(),
                e.attempt(), e.orchestratorId(), e.at(), e.errorType(), e.errorMessage(), e.errorStack(), e.signal(),
                HistoryRecord.FINISH, null, null);
    }

    private HistoryRecord step(PipelineRecord pipeline, StepRecord was, StepRecord step, String signals) {
        String type = null;
        String message = null;
        String stack = null;
        String error = step.lastError();
        boolean failedAttempt = was != null && step.attempts() > was.attempts();
        if (error != null && failedAttempt) {
            // an ErrorSummary: "type: message" on the first line, the frames and causes after it
            int newline = error.indexOf('\n');
            String headline = newline < 0 ? error : error.substring(0, newline);
            int colon = headline.indexOf(": ");
            boolean typed = colon > 0 && headline.substring(0, colon).indexOf(' ') < 0;
            type = typed ? headline.substring(0, colon) : headline.indexOf(' ') < 0 ? headline : null;
            message = typed ? headline.substring(colon + 2) : type == null ? headline : null;
            stack = newline < 0 ? null : error.substring(newline + 1);
        } else if (error != null && (step.status() == Status.FAILED || step.status() == Status.CANCELLED)) {
            message = error; // the reason given to fail(..) or cancel(..)
        }
        return new HistoryRecord(HistoryRecord.newId(), pipeline.id(), bounded(step.name(), HistoryRecord.MAX_NAME),
                step.position(), was == null ? null : was.status(), step.status(), step.attempts(), owner,
                step.updatedAt(), bounded(type, HistoryRecord.MAX_NAME), bounded(message, HistoryRecord.MAX_MESSAGE),
                bounded(stack, HistoryRecord.MAX_STACK), signals, null, null, null);
    }

    /** @return the names of the signals the write consumes for the step at {@code position}, or null */
    private static String signals(List<StoredRecord> written, int position) {
        StringBuilder names = null;
        for (StoredRecord record : written) {
            if (record instanceof SignalRecord signal && signal.consumedByStep() == position) {
                names = names == null ? new StringBuilder(signal.name()) : names.append(", ").append(signal.name());
            }
        }
        return names == null ? null : bounded(names.toString(), HistoryRecord.MAX_NAME);
    }

    private static String bounded(String text, int max) {
        return text == null ? null : ErrorSummary.truncate(text, max);
    }
}
