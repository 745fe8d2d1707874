package io.prorch.web.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP response, whichever server sends it.
 *
 * @param status the HTTP status
 * @param contentType the body's media type
 * @param headers further headers, in order
 * @param body the body's bytes
 */
public record Reply(int status, String contentType, Map<String, String> headers, byte[] body) {
    static final String HTML = "text/html; charset=utf-8";
    static final String JSON = "application/json";

    /** @return a UTF-8 HTML reply */
    static Reply html(int status, String page) {
        return new Reply(status, HTML, Map.of(), page.getBytes(StandardCharsets.UTF_8));
    }

    /** @return a JSON reply */
    static Reply json(int status, byte[] body) {
        return new Reply(status, JSON, Map.of(), body);
    }

    /** @return a 303 to {@code location}, so a reload after a POST does not POST again */
    static Reply seeOther(String location) {
        return new Reply(303, "text/plain; charset=utf-8", Map.of("Location", location),
                ("See " + location).getBytes(StandardCharsets.UTF_8));
    }

    /** @return this reply with one more header */
    Reply withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new Reply(status, contentType, Map.copyOf(all), body);
    }
}
