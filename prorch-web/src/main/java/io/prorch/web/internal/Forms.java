package io.prorch.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Decodes query strings and POST bodies for both server adapters, within fixed bounds. */
public final class Forms {
    /** Largest POST body read, in bytes: an action needs a few fields. */
    public static final int MAX_BODY = 16 * 1024;
    private static final int MAX_FIELDS = 64;

    private Forms() {
    }

    /**
     * @param raw a raw (still encoded) query string or url-encoded body, or null
     * @return the decoded parameters in order; empty for null or blank
     * @throws RuntimeException for malformed percent-encoding or too many fields; {@link #statusOf} gives its status
     */
    public static Map<String, List<String>> decode(String raw) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return values;
        }
        String[] pairs = raw.split("&");
        if (pairs.length > MAX_FIELDS) {
            throw new Problem(400, "Too many parameters (" + pairs.length + "); at most " + MAX_FIELDS);
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodeOne(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeOne(pair.substring(eq + 1));
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return values;
    }

    /**
     * Reads a request body of at most {@code limit} bytes.
     *
     * @throws RuntimeException if it is larger; {@link #statusOf} gives 413
     * @throws IOException if reading fails
     */
    public static byte[] read(InputStream in, int limit) throws IOException {
        byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) {
            throw new Problem(413, "The request body is larger than " + limit + " bytes");
        }
        return body;
    }

    /**
     * Decodes a page's POST body of at most {@link #MAX_BODY} bytes as form fields: url-encoded, or a flat JSON object
     * when {@code contentType} says JSON.
     *
     * @throws RuntimeException if the body is too large or malformed; {@link #statusOf} gives its status
     */
    public static Map<String, List<String>> parse(String contentType, byte[] body) {
        if (body.length > MAX_BODY) {
            throw new Problem(413, "The request body is larger than " + MAX_BODY
                    + " bytes; an action needs a few fields");
        }
        if (body.length == 0) {
            return new LinkedHashMap<>();
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            return Json.formOf(body);
        }
        return decode(new String(body, StandardCharsets.UTF_8));
    }

    /** @return the HTTP status a decoding failure answers with, or 400 for any other bad input */
    public static int statusOf(RuntimeException e) {
        return e instanceof Problem p ? p.status() : 400;
    }

    private static String decodeOne(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Problem(400, "Malformed percent-encoding in \"" + (text.length() > 40 ? text.substring(0, 40)
                    : text) + "\"");
        }
    }
}
