package io.prorch.internal.engine;

import io.prorch.repository.SignalRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one hook call came to: the decision it took and the metadata it left, or what it threw.
 *
 * @param decision the decision ({@link Decision#NONE} if it returned without one)
 * @param reason the fail or cancel reason, or null
 * @param delay the {@code continueAfter} delay, or null
 * @param stepMetadata the step's metadata after the call
 * @param pipelineMetadata the pipeline's metadata after the call
 * @param error what the hook threw, or null if it returned
 * @param awaited the signal name of an {@code awaitSignal} decision, or null
 * @param consumed the signals the hook took, as they were read
 */
record HookResult(Decision decision, String reason, Duration delay, Map<String, Object> stepMetadata,
                  Map<String, Object> pipelineMetadata, Throwable error, String awaited,
                  List<SignalRecord> consumed) {

    /** A result without signals: no wait for one, none consumed. */
    HookResult(Decision decision, String reason, Duration delay, Map<String, Object> stepMetadata,
               Map<String, Object> pipelineMetadata, Throwable error) {
        this(decision, reason, delay, stepMetadata, pipelineMetadata, error, null, List.of());
    }

    /** @return the result of a call that threw {@code error} (its metadata changes and signals are discarded) */
    static HookResult threw(Throwable error) {
        return new HookResult(Decision.NONE, null, null, Map.of(), Map.of(), error);
    }
}
