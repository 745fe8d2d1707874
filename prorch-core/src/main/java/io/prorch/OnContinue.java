package io.prorch;

/**
 * The hook called on every resume of a step until it decides: {@link StepContext#finish()},
 * {@link StepContext#fail(String)} or {@link StepContext#cancel(String)}. Returning without a decision leaves the
 * step waiting; it is continued on a later pass (or after {@link StepContext#continueAfter}).
 */
@FunctionalInterface
public interface OnContinue {
    /**
     * Checks on the step's work. Called at least once per pass while the step is pending; again after a crash
     * before its result was saved.
     *
     * @param ctx the step's context: metadata to read and write, and the decisions
     * @throws Exception anything; the attempt counts as failed and is retried with backoff
     */
    void onContinue(StepContext ctx) throws Exception;
}
