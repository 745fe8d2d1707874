package io.prorch.web.internal;

import io.prorch.Status;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the list shows, read from the query string: statuses, a pipeline name, a business key, a cursor, a limit.
 *
 * @param statuses the statuses shown; empty for all
 * @param name the pipeline name, or null for all
 * @param key the business key (the start's idempotency key), or null for all
 * @param after the cursor of the previous page, or null for the first
 * @param limit at most this many rows
 */
record Filter(Set<Status> statuses, String name, String key, String after, int limit) {
    /** Longest name, key or cursor accepted. */
    static final int MAX_TEXT = 200;
    /** Largest page. */
    static final int MAX_LIMIT = 500;

    /**
     * @throws Problem 400 naming the parameter for an unknown status, an oversized value or a bad limit
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
        return new Filter(statuses, text(call, "name"), text(call, "key"), text(call, "after"), limit(call,
                defaultLimit));
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
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Problem(400, "Parameter limit must be a whole number from 1 to " + MAX_LIMIT + ", not \""
                + (value.length() > 20 ? value.substring(0, 20) : value) + "\"");
    }
}
