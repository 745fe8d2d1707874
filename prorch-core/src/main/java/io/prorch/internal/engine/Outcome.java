package io.prorch.internal.engine;

/** How a pipeline's turn in a pass (or after its start) ended. */
enum Outcome {
    FINISHED,
    FAILED,
    CANCELLED,
    /** Left pending: waiting for a later pass, a continueAfter delay or a retry. */
    WAITING,
    /** Not driven: unknown name, store error, lost claim. */
    SKIPPED
}
