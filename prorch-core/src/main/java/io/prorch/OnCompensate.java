package io.prorch;

/**
 * The hook that undoes a finished step (a saga's compensation): when a later step fails for good, or the pipeline is
 * cancelled, the {@code onCompensate} hooks of its finished steps run in reverse order, and the pipeline ends
 * {@link Status#COMPENSATED} (or {@link Status#FAILED} if a compensation fails for good). A step that implements it is
 * {@link Status#COMPENSATED} once its compensation ran; a finished step without it stays {@link Status#FINISHED}.
 *
 * <p>Returning, with or without {@link StepContext#finish()}, means compensated. {@link StepContext#fail(String)} ends
 * the compensation and the pipeline {@code failed} at once; {@link StepContext#continueAfter} and
 * {@link StepContext#awaitSignal} wait, and call {@code onCompensate} again afterwards. See docs/shapes.md.
 */
@FunctionalInterface
public interface OnCompensate {
    /**
     * Undoes what the step did. Called at least once: again after a crash before its result was saved, and on each
     * retry after it threw (with the step's retry policy and hook timeout, its attempts counted afresh). Use
     * {@link StepContext#idempotencyKey()} so a repeated call does not undo twice.
     *
     * @param ctx the step's context, with the metadata the step finished with
     * @throws Exception anything; the attempt counts as failed and is retried with backoff, and the last one fails
     *     the pipeline
     */
    void onCompensate(StepContext ctx) throws Exception;
}
