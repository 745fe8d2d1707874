package io.prorch;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Which pipelines {@link Orchestrator#query} lists: by status, pipeline name, business key (the idempotency key of the
 * start) and time ranges, newest first (by creation time, then id), one page at a time. Paging is by keyset: the cursor names the
 * last pipeline of a page, so pages stay stable while pipelines are added, and each page costs the same.
 *
 * <pre>{@code
 * PipelinePage failed = orchestrator.query(PipelineQuery.builder().status(Status.FAILED).limit(50).build());
 * PipelinePage next = orchestrator.query(PipelineQuery.builder().status(Status.FAILED).limit(50)
 *         .after(failed.nextCursor()).build());
 * }</pre>
 *
 * @param statuses the statuses matched; empty for all
 * @param names the pipeline names matched; empty for all
 * @param businessKey the idempotency key matched, or null for any
 * @param createdFrom the earliest creation time matched (inclusive), or null
 * @param createdTo the first creation time no longer matched (exclusive), or null
 * @param updatedFrom the earliest update time matched (inclusive), or null
 * @param updatedTo the first update time no longer matched (exclusive), or null
 * @param limit the most pipelines on a page, 1 to {@link #MAX_LIMIT}
 * @param after the cursor of the previous page ({@link PipelinePage#nextCursor()}), or null for the first page
 */
public record PipelineQuery(Set<Status> statuses, Set<String> names, String businessKey, Instant createdFrom,
                            Instant createdTo, Instant updatedFrom, Instant updatedTo, int limit, String after) {
    /** The page size of a query that sets none. */
    public static final int DEFAULT_LIMIT = 50;
    /** The largest page. */
    public static final int MAX_LIMIT = 1000;
    /** The longest name or business key matched: no store keeps longer ones. */
    private static final int MAX_TEXT = 200;
    private static final String CURSOR_VERSION = "p1";

    /**
     * Validates and copies every field.
     *
     * @throws NullPointerException if a set, or an element of one, is null
     * @throws IllegalArgumentException for a blank or too long name or key, a range whose start is after its end, a
     *     limit outside 1 to {@link #MAX_LIMIT}, or a malformed cursor
     */
    public PipelineQuery {
        requireNonNull(statuses, "statuses").forEach(s -> requireNonNull(s, "status"));
        statuses = statuses.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(statuses));
        LinkedHashSet<String> copy = new LinkedHashSet<>();
        requireNonNull(names, "names").forEach(n -> copy.add(text(n, "name")));
        names = Collections.unmodifiableSet(copy);
        if (businessKey != null) {
            text(businessKey, "businessKey");
        }
        range("created", createdFrom, createdTo);
        range("updated", updatedFrom, updatedTo);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", but was " + limit);
        }
        if (after != null) {
            decode(after);
        }
    }

    /** @return a builder for a query matching every pipeline, {@link #DEFAULT_LIMIT} per page */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The position a cursor stands for.
     *
     * @param createdAt the last pipeline's creation time
     * @param id the last pipeline's id
     */
    public record Position(Instant createdAt, UUID id) {
        /** @throws NullPointerException if an argument is null */
        public Position {
            requireNonNull(createdAt, "createdAt");
            requireNonNull(id, "id");
        }

        /** @return the opaque cursor of this position (URL-safe base64) */
        public String cursor() {
            String text = CURSOR_VERSION + "|" + createdAt + "|" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * @return the position {@link #after()} stands for, or null on the first page
     */
    public Position position() {
        return after == null ? null : decode(after);
    }

    /**
     * @param cursor a cursor from {@link PipelinePage#nextCursor()}
     * @return the position it stands for
     * @throws NullPointerException if {@code cursor} is null
     * @throws IllegalArgumentException if it is not such a cursor
     */
    public static Position decode(String cursor) {
        requireNonNull(cursor, "cursor");
        String bad = "Malformed cursor \"" + (cursor.length() > 40 ? cursor.substring(0, 40) + "..." : cursor)
                + "\": pass back the nextCursor of a page unchanged, or leave it out for the first page";
        if (cursor.isEmpty() || cursor.length() > MAX_TEXT) {
            throw new IllegalArgumentException(bad);
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            if (parts.length != 3 || !parts[0].equals(CURSOR_VERSION)) {
                throw new IllegalArgumentException(bad);
            }
            return new Position(Instant.parse(parts[1]), UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(bad, e);
        }
    }

    private static String text(String value, String what) {
        requireNonNull(value, what);
        if (value.isBlank() || value.length() > MAX_TEXT) {
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_TEXT + " non-blank characters, but was \""
                    + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "\"");
        }
        return value;
    }

    private static void range(String what, Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException(what + " range: from (" + from + ") is after to (" + to + ")");
        }
    }

    /** Builds a {@link PipelineQuery}; each method checks its argument at once. */
    public static final class Builder {
        private final Set<Status> statuses = EnumSet.noneOf(Status.class);
        private final Set<String> names = new LinkedHashSet<>();
        private String businessKey;
        private Instant createdFrom;
        private Instant createdTo;
        private Instant updatedFrom;
        private Instant updatedTo;
        private int limit = DEFAULT_LIMIT;
        private String after;

        private Builder() {
        }

        /**
         * Matches pipelines in any of {@code statuses} (added to those given before).
         *
         * @throws NullPointerException if the array or an element is null
         * @throws IllegalArgumentException if none is given
         */
        public Builder status(Status... statuses) {
            requireNonNull(statuses, "statuses");
            if (statuses.length == 0) {
                throw new IllegalArgumentException("status() needs at least one status; leave it out to match all");
            }
            for (Status status : statuses) {
                this.statuses.add(requireNonNull(status, "status"));
            }
            return this;
        }

        /**
         * Matches pipelines of any of the {@code @Pipeline} {@code names} (added to those given before).
         *
         * @throws NullPointerException if the array or an element is null
         * @throws IllegalArgumentException if none is given, or one is blank or longer than 200 characters
         */
        public Builder name(String... names) {
            requireNonNull(names, "names");
            if (names.length == 0) {
                throw new IllegalArgumentException("name() needs at least one name; leave it out to match all");
            }
            for (String name : names) {
                this.names.add(text(name, "name"));
            }
            return this;
        }

        /**
         * Matches the pipeline started with this idempotency key.
         *
         * @throws NullPointerException if {@code key} is null
         * @throws IllegalArgumentException if it is blank or longer than 200 characters
         */
        public Builder businessKey(String key) {
            this.businessKey = text(key, "businessKey");
            return this;
        }

        /**
         * Matches pipelines created in [{@code from}, {@code to}); a null bound is open.
         *
         * @throws IllegalArgumentException if {@code from} is after {@code to}
         */
        public Builder createdBetween(Instant from, Instant to) {
            range("created", from, to);
            this.createdFrom = from;
            this.createdTo = to;
            return this;
        }

        /**
         * Matches pipelines last updated in [{@code from}, {@code to}); a null bound is open.
         *
         * @throws IllegalArgumentException if {@code from} is after {@code to}
         */
        public Builder updatedBetween(Instant from, Instant to) {
            range("updated", from, to);
            this.updatedFrom = from;
            this.updatedTo = to;
            return this;
        }

        /**
         * The most pipelines on a page; default {@link #DEFAULT_LIMIT}.
         *
         * @throws IllegalArgumentException if not 1 to {@link #MAX_LIMIT}
         */
        public Builder limit(int limit) {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", but was " + limit);
            }
            this.limit = limit;
            return this;
        }

        /**
         * Continues after the page whose {@link PipelinePage#nextCursor()} this is; null for the first page.
         *
         * @throws IllegalArgumentException if it is not such a cursor
         */
        public Builder after(String cursor) {
            if (cursor != null) {
                decode(cursor);
            }
            this.after = cursor;
            return this;
        }

        /** @return the query */
        public PipelineQuery build() {
            return new PipelineQuery(statuses, names, businessKey, createdFrom, createdTo, updatedFrom, updatedTo,
                    limit, after);
        }
    }
}
