package io.prorch.web.internal;

import io.prorch.PipelineQuery;
import io.prorch.Status;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the list shows, read from the query string: statuses, a pipeline name, a business key, created and updated
 * time ranges, a cursor, a limit; turned into the orchestrator's {@link PipelineQuery}.
 *
 * @param statuses the statuses shown; empty for all
 * @param name the pipeline name, or null for all
 * @param key the business key (the start's idempotency key), or null for all
 * @param times the time bounds by parameter name ({@code createdFrom}, {@code createdTo}, {@code updatedFrom},
 *     {@code updatedTo}); absent ones are open
 * @param after the cursor of the previous page, or null for the first
 * @param limit at most this many rows
 */
record Filter(Set<Status> statuses, String name, String key, Map<String, Instant> times, String after, int limit) {
    /** Longest name, key or cursor accepted. */
    static final int MAX_TEXT = 200;
    private static final List<String> TIMES = List.of("createdFrom", "createdTo", "updatedFrom", "updatedTo");

    /**
     * @throws Problem 400 naming the parameter for an unknown status, an oversized value, a malformed instant or
     *     cursor, or a bad limit
     */
    static Filter of(Call call, int defaultLimit) {
        Set<Status> statuses = EnumSet.noneOf(Status.class);
        for (String value : call.query().getOrDefault("status", List.of())) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    statuses.add(status(part));
                }
            }
        }
        Map<String, Instant> times = new LinkedHashMap<>();
        for (String parameter : TIMES) {
            String value = text(call, parameter);
            if (value != null) {
                times.put(parameter, instant(parameter, value));
            }
        }
        Filter filter = new Filter(statuses, text(call, "name"), text(call, "key"), Map.copyOf(times),
                text(call, "after"), limit(call, defaultLimit));
        filter.query();   // checks the combination (ranges, cursor) now, so a bad one answers 400
        return filter;
    }

    /** @return the orchestrator's query for this filter */
    PipelineQuery query() {
        try {
            PipelineQuery.Builder query = PipelineQuery.builder().limit(limit).after(after)
                    .createdBetween(times.get("createdFrom"), times.get("createdTo"))
                    .updatedBetween(times.get("updatedFrom"), times.get("updatedTo"));
            if (!statuses.isEmpty()) {
                query.status(statuses.toArray(Status[]::new));
            }
            if (name != null) {
                query.name(name);
            }
            if (key != null) {
                query.businessKey(key);
            }
            return query.build();
        } catch (IllegalArgumentException e) {
            throw new Problem(400, "Parameters: " + e.getMessage());
        }
    }

    /** @return the query string that shows this filter again, from {@code cursor} on (null: the first page) */
    String query(String cursor) {
        List<String> parts = new ArrayList<>();
        statuses.forEach(s -> parts.add("status=" + s.value()));
        if (name != null) {
            parts.add("name=" + Html.url(name));
        }
        if (key != null) {
            parts.add("key=" + Html.url(key));
        }
        TIMES.stream().filter(times::containsKey).forEach(t -> parts.add(t + "=" + times.get(t)));
        if (cursor != null) {
            parts.add("after=" + Html.url(cursor));
        }
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    private static Status status(String value) {
        try {
            return Status.fromValue(value);
        } catch (IllegalArgumentException e) {
            throw new Problem(400, "Parameter status: " + e.getMessage());
        }
    }

    private static Instant instant(String parameter, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new Problem(400, "Parameter " + parameter + " must be an ISO-8601 instant such as "
                    + "2026-12-07T00:00:00Z, not \"" + (value.length() > 40 ? value.substring(0, 40) : value) + "\"");
        }
    }

    private static String text(Call call, String parameter) {
        String value = call.param(parameter);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw new Problem(400, "Parameter " + parameter + " is " + value.length() + " characters long; at most "
                    + MAX_TEXT);
        }
        return value.trim();
    }

    private static int limit(Call call, int defaultLimit) {
        String value = call.param("limit");
        if (value == null || value.isBlank()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= PipelineQuery.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Problem(400, "Parameter limit must be a whole number from 1 to " + PipelineQuery.MAX_LIMIT
                + ", not \"" + (value.length() > 20 ? value.substring(0, 20) : value) + "\"");
    }
}
