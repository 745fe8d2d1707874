package io.prorch.internal.engine;

/** What a hook decided about its step. */
enum Decision {
    /** Returned without deciding. */
    NONE,
    FINISH,
    FAIL,
    CANCEL,
    CONTINUE_AFTER,
    /** Wait for a signal, at most the delay. */
    AWAIT_SIGNAL
}
