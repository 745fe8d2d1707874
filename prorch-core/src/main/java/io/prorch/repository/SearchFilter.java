package io.prorch.repository;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What {@link IRepository#search} looks for: equality on some {@link SearchField}s, optionally "due at or before"
 * an instant (pipelines only), and a maximum number of results. Small enough for any store to implement; immutable.
 *
 * <pre>{@code
 * SearchFilter.all().where(SearchField.STATUS, Status.PENDING).dueAtOrBefore(now).limit(100)
 * }</pre>
 *
 * @param equalities field to the value it must equal; all must hold
 * @param dueAtOrBefore if not null, only pipelines with a non-null {@code dueAt} at or before it match
 * @param limit the maximum number of records returned, positive
 */
public record SearchFilter(Map<SearchField, Object> equalities, Instant dueAtOrBefore, int limit) {
    /** The limit of a filter that sets none: effectively unlimited. */
    public static final int NO_LIMIT = Integer.MAX_VALUE;

    private static final SearchFilter ALL = new SearchFilter(Map.of(), null, NO_LIMIT);

    /**
     * @throws NullPointerException if {@code equalities} or one of its keys or values is null
     * @throws IllegalArgumentException if a value has the wrong type for its field, or {@code limit} is not positive
     */
    public SearchFilter {
        requireNonNull(equalities, "equalities");
        EnumMap<SearchField, Object> copy = new EnumMap<>(SearchField.class);
        equalities.forEach((field, value) -> copy.put(requireNonNull(field, "field"), checked(field, value)));
        equalities = Collections.unmodifiableMap(copy);
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, but was " + limit);
        }
    }

    /** @return a filter that matches every record, without limit */
    public static SearchFilter all() {
        return ALL;
    }

    /**
     * @return a copy that also requires {@code field} to equal {@code value}
     * @throws NullPointerException if {@code field} or {@code value} is null (stores need not search for nulls)
     * @throws IllegalArgumentException if {@code value} is not of {@code field.valueType()}
     */
    public SearchFilter where(SearchField field, Object value) {
        EnumMap<SearchField, Object> copy = new EnumMap<>(SearchField.class);
        copy.putAll(equalities);
        copy.put(requireNonNull(field, "field"), value);
        return new SearchFilter(copy, dueAtOrBefore, limit);
    }

    /**
     * @return a copy that matches only pipelines due at or before {@code instant}
     * @throws NullPointerException if {@code instant} is null
     */
    public SearchFilter dueAtOrBefore(Instant instant) {
        return new SearchFilter(equalities, requireNonNull(instant, "instant"), limit);
    }

    /**
     * @return a copy returning at most {@code limit} records
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public SearchFilter limit(int limit) {
        return new SearchFilter(equalities, dueAtOrBefore, limit);
    }

    /**
     * Checks that this filter can be applied to {@code model}; every store calls it first.
     *
     * @throws IllegalArgumentException naming the field that {@code model} does not have
     */
    public void checkApplicableTo(Model<?> model) {
        requireNonNull(model, "model");
        for (SearchField field : equalities.keySet()) {
            if (!field.appliesTo(model)) {
                throw new IllegalArgumentException("Search field " + field + " does not apply to " + model
                        + "; use one of the fields whose appliesTo(model) is true");
            }
        }
        if (dueAtOrBefore != null && model != Model.PIPELINE) {
            throw new IllegalArgumentException("dueAtOrBefore applies to pipelines only, not to " + model);
        }
    }

    /**
     * Tests a record against the equalities and the due bound (not the limit), for stores that filter in memory.
     *
     * @throws NullPointerException if {@code record} is null
     */
    public boolean matches(StoredRecord record) {
        requireNonNull(record, "record");
        for (Map.Entry<SearchField, Object> e : equalities.entrySet()) {
            if (!e.getValue().equals(e.getKey().valueOf(record))) {
                return false;
            }
        }
        if (dueAtOrBefore != null) {
            Instant due = record instanceof PipelineRecord p ? p.dueAt() : null;
            return due != null && !due.isAfter(dueAtOrBefore);
        }
        return true;
    }

    private static Object checked(SearchField field, Object value) {
        requireNonNull(value, () -> "value of " + field);
        if (!field.valueType().isInstance(value)) {
            throw new IllegalArgumentException("Search field " + field + " takes a "
                    + field.valueType().getSimpleName() + ", but was given a " + value.getClass().getName());
        }
        return value;
    }
}
