package io.prorch;

/**
 * The hook called when a pipeline enters a step. A step that implements only {@code OnStart} finishes when
 * {@code onStart} returns without a decision.
 */
@FunctionalInterface
public interface OnStart {
    /**
     * Kicks off the step's work. Called at least once: again after a crash before its result was saved, and on
     * each retry after it threw. Once its result is saved (the step is {@code pending}) it never runs again. Use
     * {@link StepContext#idempotencyKey()} to make side effects safe to repeat.
     *
     * @param ctx the step's context: metadata to read and write, and the decisions
     * @throws Exception anything; the attempt counts as failed and is retried with backoff
     */
    void onStart(StepContext ctx) throws Exception;
}
