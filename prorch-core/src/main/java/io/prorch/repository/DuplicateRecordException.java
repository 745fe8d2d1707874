package io.prorch.repository;

import java.util.UUID;

/**
 * Thrown by {@link IRepository#save} when a record with the same id already exists, or when a pipeline's
 * idempotency key is already taken by another pipeline. Nothing was written.
 */
public final class DuplicateRecordException extends RepositoryException {
    private final Model<?> model;
    private final UUID id;

    /**
     * @param model the model of the record
     * @param id the id of the record that could not be saved
     * @param what what is duplicated, e.g. {@code "id"} or {@code "idempotency key \"order-7\""}
     */
    public DuplicateRecordException(Model<?> model, UUID id, String what) {
        super("Cannot save " + model.singular() + " " + id + ": its " + what
                + " is already stored; save is for new records, use update to change one");
        this.model = model;
        this.id = id;
    }

    /** @return the model of the record that was not saved */
    public Model<?> model() {
        return model;
    }

    /** @return the id of the record that was not saved */
    public UUID id() {
        return id;
    }
}
