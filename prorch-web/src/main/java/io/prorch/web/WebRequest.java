package io.prorch.web;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request for {@link ProrchWeb#handle}, as a host application's server adapter builds it: the status page is
 * a plain function of these values, so any server can serve it.
 *
 * @param method the HTTP method ({@code GET}, {@code POST}; others are answered 405), any case
 * @param path the path below where the page is mounted, starting with {@code /} ({@code /}, {@code /pipelines/..})
 * @param query decoded query parameters (empty if none)
 * @param form decoded form fields of a POST, url-encoded or a flat JSON object (empty if none)
 * @param headers request headers; names are matched in any case
 * @param mountPath where the page is mounted: {@code ""} for the root, else a path such as {@code /ops/prorch}
 *     without a trailing slash; the page prefixes its links with it
 * @param principal the authenticated user the host knows, or null; shown in logs and cancel reasons, and available
 *     to the {@link Authorizer}
 * @param body the raw body of a POST (empty if none), at most {@link ProrchWeb#maxBodyBytes()} bytes; not copied. When
 *     {@code form} is empty, the page decodes its form fields from it; {@link WebRoutes} read it as it came
 */
public record WebRequest(String method, String path, Map<String, List<String>> query, Map<String, List<String>> form,
                         Map<String, List<String>> headers, String mountPath, String principal, byte[] body) {
    /**
     * Copies every map (header names in lower case); a null {@code body} is empty.
     *
     * @throws NullPointerException if an argument other than {@code principal} is null
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}, or {@code mountPath} is not
     *     empty and does not start with {@code /} or ends with one
     */
    public WebRequest {
        method = requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        requireNonNull(path, "path");
        requireNonNull(mountPath, "mountPath");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /, but was \"" + path + "\"");
        }
        if (!mountPath.isEmpty() && (!mountPath.startsWith("/") || mountPath.endsWith("/"))) {
            throw new IllegalArgumentException("mountPath must be \"\" or start with / and not end with one, but was \""
                    + mountPath + "\"");
        }
        query = copy(requireNonNull(query, "query"), false);
        form = copy(requireNonNull(form, "form"), false);
        headers = copy(requireNonNull(headers, "headers"), true);
        body = body == null ? new byte[0] : body;
    }

    /**
     * A request without a raw body: an adapter that decoded the form itself.
     *
     * @throws NullPointerException if an argument other than {@code principal} is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public WebRequest(String method, String path, Map<String, List<String>> query, Map<String, List<String>> form,
                      Map<String, List<String>> headers, String mountPath, String principal) {
        this(method, path, query, form, headers, mountPath, principal, null);
    }

    /**
     * A request with no form, headers or principal, mounted at the root:
     * {@code of("GET", "/api/pipelines?status=failed")}.
     *
     * @param target the path and an optional raw query string
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code target} does not start with {@code /} or its query is malformed
     */
    public static WebRequest of(String method, String target) {
        requireNonNull(target, "target");
        int q = target.indexOf('?');
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : target.substring(q + 1).split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
            }
        }
        return new WebRequest(method, q < 0 ? target : target.substring(0, q), query, Map.of(), Map.of(), "", null);
    }

    /** @return the body as UTF-8 text, empty if none */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** @return the first value of header {@code name} (any case), or null */
    public String header(String name) {
        List<String> values = headers.get(requireNonNull(name, "name").toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> values, boolean lowerCaseNames) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        values.forEach((name, list) -> copy.merge(lowerCaseNames ? name.toLowerCase(Locale.ROOT) : name,
                List.copyOf(list), (a, b) -> {
                    List<String> both = new ArrayList<>(a);
                    both.addAll(b);
                    return List.copyOf(both);
                }));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
