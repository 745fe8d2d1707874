package io.prorch.services;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as {@link ServicesApi#handle} takes it, independent of the server that received it.
 *
 * @param method the HTTP method, upper case
 * @param path the path without query, e.g. {@code /e/process-text}
 * @param headers the headers (names compared without case)
 * @param body the body as text, empty if none
 */
public record ApiRequest(String method, String path, Map<String, List<String>> headers, String body) {
    /** Copies the headers into a case-insensitive map; null headers or body become empty. */
    public ApiRequest {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        }
        headers = java.util.Collections.unmodifiableMap(copy);
        body = body == null ? "" : body;
    }

    /** @return the first value of header {@code name}, if present */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
