package io.prorch.repository;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What {@link IRepository#search} looks for: equality on some {@link SearchField}s, membership in a set of values,
 * time ranges, optionally "due at or before" an instant (pipelines only), an order with a keyset position to continue
 * after, and a maximum number of results. Small enough for any store to implement (a store that filters in memory
 * uses {@link #matches} and sorts by {@link #order(Model)}); immutable.
 *
 * <pre>{@code
 * SearchFilter.all().where(SearchField.STATUS, Status.PENDING).dueAtOrBefore(now).limit(100)
 * SearchFilter.all().anyOf(SearchField.STATUS, Set.of(Status.FAILED)).order(Order.CREATED_DESC).limit(51)
 * }</pre>
 *
 * @param equalities field to the value it must equal; all must hold
 * @param dueAtOrBefore if not null, only pipelines with a non-null {@code dueAt} at or before it match
 * @param limit the maximum number of records returned, positive
 * @param anyOf field to the values one of which it must equal; all must hold
 * @param ranges time ranges the records must lie in; all must hold
 * @param order the order of the results
 * @param after if not null, only records strictly after this key in {@code order} match (keyset paging); needs an
 *     order other than {@link Order#MODEL}
 */
public record SearchFilter(Map<SearchField, Object> equalities, Instant dueAtOrBefore, int limit,
                           Map<SearchField, Set<Object>> anyOf, List<Range> ranges, Order order, Key after) {
    /** The limit of a filter that sets none: effectively unlimited. */
    public static final int NO_LIMIT = Integer.MAX_VALUE;

    private static final SearchFilter ALL = new SearchFilter(Map.of(), null, NO_LIMIT);

    /** The order of search results. */
    public enum Order {
        /** The model's {@link Model#searchOrder()} (the default). */
        MODEL,
        /**
         * Newest first: {@code createdAt} descending, then id descending (compared as {@link #compareIds} does). A
         * record's creation time never changes, so a store can index it without making every update rewrite the index.
         */
        CREATED_DESC
    }

    /**
     * A position in an {@link Order} other than {@link Order#MODEL}: the last record of a page.
     *
     * @param at the record's time in that order ({@code createdAt} for {@link Order#CREATED_DESC})
     * @param id the record's id, which breaks ties
     */
    public record Key(Instant at, UUID id) {
        /** @throws NullPointerException if an argument is null */
        public Key {
            requireNonNull(at, "at");
            requireNonNull(id, "id");
        }
    }

    /**
     * A time range on an {@link Instant} field: from (inclusive) to (exclusive); either bound may be null (open).
     *
     * @param field {@link SearchField#CREATED_AT} or {@link SearchField#UPDATED_AT}
     * @param from the earliest instant matched, or null
     * @param to the first instant no longer matched, or null
     */
    public record Range(SearchField field, Instant from, Instant to) {
        /**
         * @throws NullPointerException if {@code field} is null
         * @throws IllegalArgumentException if the field is not a time, or {@code from} is after {@code to}
         */
        public Range {
            requireNonNull(field, "field");
            if (field.valueType() != Instant.class) {
                throw new IllegalArgumentException("Search field " + field + " is not a time; ranges apply to"
                        + " CREATED_AT and UPDATED_AT");
            }
            if (from != null && to != null && from.isAfter(to)) {
                throw new IllegalArgumentException("Range of " + field + ": from (" + from + ") is after to (" + to
                        + ")");
            }
        }

        boolean contains(Instant value) {
            return value != null && (from == null || !value.isBefore(from)) && (to == null || value.isBefore(to));
        }
    }

    /**
     * The filter of the first releases: equalities, due bound and limit, in the model's order.
     *
     * @throws NullPointerException if {@code equalities} or one of its keys or values is null
     * @throws IllegalArgumentException as the canonical constructor does
     */
    public SearchFilter(Map<SearchField, Object> equalities, Instant dueAtOrBefore, int limit) {
        this(equalities, dueAtOrBefore, limit, Map.of(), List.of(), Order.MODEL, null);
    }

    /**
     * @throws NullPointerException if a map, list or order, or one of their keys or values, is null
     * @throws IllegalArgumentException if a value has the wrong type for its field, a value set is empty,
     *     {@code limit} is not positive, or {@code after} is set with {@link Order#MODEL}
     */
    public SearchFilter {
        requireNonNull(equalities, "equalities");
        EnumMap<SearchField, Object> copy = new EnumMap<>(SearchField.class);
        equalities.forEach((field, value) -> copy.put(requireNonNull(field, "field"), checked(field, value)));
        equalities = Collections.unmodifiableMap(copy);
        requireNonNull(anyOf, "anyOf");
        EnumMap<SearchField, Set<Object>> sets = new EnumMap<>(SearchField.class);
        anyOf.forEach((field, values) -> {
            requireNonNull(values, () -> "values of " + field);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("anyOf(" + field + ") needs at least one value; leave the field"
                        + " out to match every value");
            }
            Set<Object> checkedValues = new LinkedHashSet<>();
            values.forEach(v -> checkedValues.add(checked(field, v)));
            sets.put(requireNonNull(field, "field"), Collections.unmodifiableSet(checkedValues));
        });
        anyOf = Collections.unmodifiableMap(sets);
        ranges = List.copyOf(requireNonNull(ranges, "ranges"));
        requireNonNull(order, "order");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, but was " + limit);
        }
        if (after != null && order == Order.MODEL) {
            throw new IllegalArgumentException("after(key) needs an order other than MODEL, such as CREATED_DESC");
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
        return new SearchFilter(copy, dueAtOrBefore, limit, anyOf, ranges, order, after);
    }

    /**
     * @return a copy that also requires {@code field} to equal one of {@code values}
     * @throws NullPointerException if an argument or a value is null
     * @throws IllegalArgumentException if {@code values} is empty or a value is not of {@code field.valueType()}
     */
    public SearchFilter anyOf(SearchField field, Collection<?> values) {
        EnumMap<SearchField, Set<Object>> copy = new EnumMap<>(SearchField.class);
        copy.putAll(anyOf);
        copy.put(requireNonNull(field, "field"), new LinkedHashSet<>(requireNonNull(values, "values")));
        return new SearchFilter(equalities, dueAtOrBefore, limit, copy, ranges, order, after);
    }

    /**
     * @return a copy that also requires {@code field} to lie in [{@code from}, {@code to}); a null bound is open
     * @throws NullPointerException if {@code field} is null
     * @throws IllegalArgumentException as {@link Range} does
     */
    public SearchFilter between(SearchField field, Instant from, Instant to) {
        List<Range> copy = new ArrayList<>(ranges);
        copy.add(new Range(field, from, to));
        return new SearchFilter(equalities, dueAtOrBefore, limit, anyOf, copy, order, after);
    }

    /**
     * @return a copy that matches only pipelines due at or before {@code instant}
     * @throws NullPointerException if {@code instant} is null
     */
    public SearchFilter dueAtOrBefore(Instant instant) {
        return new SearchFilter(equalities, requireNonNull(instant, "instant"), limit, anyOf, ranges, order, after);
    }

    /**
     * @return a copy returning at most {@code limit} records
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public SearchFilter limit(int limit) {
        return new SearchFilter(equalities, dueAtOrBefore, limit, anyOf, ranges, order, after);
    }

    /**
     * @return a copy returning its records in {@code order}
     * @throws NullPointerException if {@code order} is null
     */
    public SearchFilter order(Order order) {
        return new SearchFilter(equalities, dueAtOrBefore, limit, anyOf, ranges, order, after);
    }

    /**
     * @return a copy matching only records strictly after {@code key} in this filter's order (the next page)
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the order is {@link Order#MODEL}
     */
    public SearchFilter after(Key key) {
        return new SearchFilter(equalities, dueAtOrBefore, limit, anyOf, ranges, order, requireNonNull(key, "key"));
    }

    /**
     * Checks that this filter can be applied to {@code model}; every store calls it first.
     *
     * @throws IllegalArgumentException naming the field that {@code model} does not have
     */
    public void checkApplicableTo(Model<?> model) {
        requireNonNull(model, "model");
        List<SearchField> used = new ArrayList<>(equalities.keySet());
        used.addAll(anyOf.keySet());
        ranges.forEach(r -> used.add(r.field()));
        for (SearchField field : used) {
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
     * The order a store returns the matches of this filter in: {@link Model#searchOrder()}, or this filter's order.
     *
     * @return a comparator a store that filters in memory sorts its matches with
     * @throws NullPointerException if {@code model} is null
     */
    public <R extends StoredRecord> Comparator<R> order(Model<R> model) {
        requireNonNull(model, "model");
        if (order == Order.MODEL) {
            return model.searchOrder();
        }
        Comparator<R> newest = Comparator.comparing(StoredRecord::createdAt);
        return newest.thenComparing(StoredRecord::id, SearchFilter::compareIds).reversed();
    }

    /**
     * Tests a record against the equalities, value sets, ranges, due bound and keyset position (not the limit), for
     * stores that filter in memory.
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
        for (Map.Entry<SearchField, Set<Object>> e : anyOf.entrySet()) {
            if (!e.getValue().contains(e.getKey().valueOf(record))) {
                return false;
            }
        }
        for (Range range : ranges) {
            if (!range.contains((Instant) range.field().valueOf(record))) {
                return false;
            }
        }
        if (after != null) {
            int byTime = record.createdAt().compareTo(after.at());
            if (byTime > 0 || byTime == 0 && compareIds(record.id(), after.id()) >= 0) {
                return false;
            }
        }
        if (dueAtOrBefore != null) {
            Instant due = record instanceof PipelineRecord p ? p.dueAt() : null;
            return due != null && !due.isAfter(dueAtOrBefore);
        }
        return true;
    }

    /**
     * Compares ids as databases do (PostgreSQL's {@code uuid}, text columns): as unsigned 128-bit numbers, unlike
     * {@link UUID#compareTo}, which compares signed halves.
     *
     * @return a negative number, zero or a positive number as {@code a} is less than, equal to or greater than {@code b}
     */
    public static int compareIds(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
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
