package io.prorch.repository;

import java.util.UUID;

/**
 * Thrown by {@link IRepository#update} when the stored record's version is not the one the caller read: another
 * writer got there first (or the record was deleted). Nothing was written. Re-read the record before deciding what
 * to do; the orchestrator treats it as a lost claim and drops its stale in-memory state.
 */
public final class VersionConflictException extends RepositoryException {
    private final Model<?> model;
    private final UUID id;
    private final long expectedVersion;

    /**
     * @param model the model of the record
     * @param id the record's id
     * @param expectedVersion the version the caller read
     */
    public VersionConflictException(Model<?> model, UUID id, long expectedVersion) {
        super("Update of " + model.singular() + " " + id + " expected version " + expectedVersion
                + " but the stored version differs (or the record is gone); re-read it and decide again");
        this.model = model;
        this.id = id;
        this.expectedVersion = expectedVersion;
    }

    /** @return the model of the record that conflicted */
    public Model<?> model() {
        return model;
    }

    /** @return the id of the record that conflicted */
    public UUID id() {
        return id;
    }

    /** @return the version the caller expected to find */
    public long expectedVersion() {
        return expectedVersion;
    }
}
