package io.prorch.repository;

/**
 * The store refused a record for what it holds, not for a passing failure: metadata larger than the store accepts,
 * a value it cannot encode, a constraint it enforces. Writing the same record again fails again, so the
 * orchestrator does not retry the write: it counts the hook's execution as a failed attempt (the hook's changes are
 * discarded) and, after the retry policy's last attempt, fails the step with this message. Stores throw it with the
 * model, the id, the field and the limit or rule in the message; after it, nothing of the write was applied.
 */
public class RecordRejectedException extends RepositoryException {
    /** @param message what was refused and why: the record, the field, the value's size or kind, the limit */
    public RecordRejectedException(String message) {
        super(message);
    }

    /** @param message what was refused and why; @param cause the store's own error */
    public RecordRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
