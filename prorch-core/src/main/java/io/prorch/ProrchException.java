package io.prorch;

/** Base class of every exception prorch throws for conditions other than caller mistakes. All are unchecked. */
public abstract class ProrchException extends RuntimeException {
    /** @param message what happened and what to do about it */
    protected ProrchException(String message) {
        super(message);
    }

    /** @param message what happened and what to do about it; @param cause the underlying failure */
    protected ProrchException(String message, Throwable cause) {
        super(message, cause);
    }
}
