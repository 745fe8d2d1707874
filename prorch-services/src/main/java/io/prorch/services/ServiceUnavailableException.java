package io.prorch.services;

/** A service call that may succeed later (unreachable, timed out, 429, 5xx, a garbled answer): thrown to be retried. */
final class ServiceUnavailableException extends RuntimeException {
    /** @param message the service, the address or status, and the body; @param cause the I/O error, or null */
    public ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
