package io.prorch;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many pipelines there are, by status and by pipeline name: what {@link Orchestrator#counts()} returns. Statuses
 * and names with no pipeline are left out.
 *
 * @param byStatus status to the number of pipelines in it
 * @param byName pipeline name to its counts by status, names in alphabetical order
 * @param estimated true if the counts of {@link Status#FINISHED} pipelines are the store's estimate rather than an
 *     exact count (PostgreSQL with more than {@code 100,000} pipelines: see docs/operations.md); the other statuses
 *     are always exact
 */
public record PipelineCounts(Map<Status, Long> byStatus, Map<String, Map<Status, Long>> byName, boolean estimated) {
    /**
     * Copies both maps.
     *
     * @throws NullPointerException if a map, key or value is null
     * @throws IllegalArgumentException if a count is negative
     */
    public PipelineCounts {
        byStatus = copy(requireNonNull(byStatus, "byStatus"));
        requireNonNull(byName, "byName");
        TreeMap<String, Map<Status, Long>> names = new TreeMap<>();
        byName.forEach((name, counts) -> names.put(requireNonNull(name, "name"), copy(counts)));
        byName = Collections.unmodifiableMap(names);
    }

    /** Exact counts. @see #PipelineCounts(Map, Map, boolean) */
    public PipelineCounts(Map<Status, Long> byStatus, Map<String, Map<Status, Long>> byName) {
        this(byStatus, byName, false);
    }

    /** @return the number of pipelines in {@code status}, 0 if none */
    public long count(Status status) {
        return byStatus.getOrDefault(requireNonNull(status, "status"), 0L);
    }

    /** @return the number of pipelines of every status */
    public long total() {
        return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<Status, Long> copy(Map<Status, Long> counts) {
        requireNonNull(counts, "counts");
        EnumMap<Status, Long> copy = new EnumMap<>(Status.class);
        counts.forEach((status, n) -> {
            if (requireNonNull(n, "count") < 0) {
                throw new IllegalArgumentException("A count cannot be negative, but " + status + " had " + n);
            }
            copy.put(requireNonNull(status, "status"), n);
        });
        return Collections.unmodifiableMap(copy);
    }
}
