package io.prorch.web.internal;

/** A request the router refuses: the status to answer and a message that says what to do instead. */
final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Problem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
