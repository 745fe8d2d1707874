package io.prorch.web.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as the router sees it, whichever server received it.
 *
 * @param method the HTTP method, upper case
 * @param path the path below the mount point, starting with {@code /}
 * @param query decoded query parameters
 * @param form decoded form fields of a POST (url-encoded or a flat JSON object)
 * @param headers headers by lower-case name
 * @param mountPath where the page is mounted, {@code ""} for the root; links are prefixed with it
 * @param principal the authenticated user the server knows, or null
 * @param body the raw body of a POST, empty if none
 */
public record Call(String method, String path, Map<String, List<String>> query, Map<String, List<String>> form,
                   Map<String, List<String>> headers, String mountPath, String principal, byte[] body) {

    /** @return this call with {@code form} as its form fields */
    public Call withForm(Map<String, List<String>> form) {
        return new Call(method, path, query, form, headers, mountPath, principal, body);
    }

    /** @return the first value of query parameter {@code name}, or null */
    public String param(String name) {
        return first(query, name);
    }

    /** @return the first value of form field {@code name}, or null */
    public String field(String name) {
        return first(form, name);
    }

    /** @return the first value of header {@code name} (any case), or null */
    public String header(String name) {
        return first(headers, name.toLowerCase(Locale.ROOT));
    }

    /** @return {@code path} prefixed with the mount path, for links */
    public String link(String path) {
        return mountPath + path;
    }

    private static String first(Map<String, List<String>> values, String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? null : list.get(0);
    }
}
