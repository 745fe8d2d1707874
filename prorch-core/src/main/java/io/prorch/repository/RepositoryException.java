package io.prorch.repository;

import io.prorch.ProrchException;

/**
 * A storage failure inside a repository: an SQL error, a lost connection, an unreadable file. Repositories throw
 * it with the operation and the record id in the message and the original failure as the cause. The orchestrator
 * reports it in the pass summary and goes on with other pipelines.
 */
public class RepositoryException extends ProrchException {
    /** @param message the operation that failed and the record it concerned */
    public RepositoryException(String message) {
        super(message);
    }

    /** @param message the operation that failed and the record it concerned; @param cause the storage failure */
    public RepositoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
