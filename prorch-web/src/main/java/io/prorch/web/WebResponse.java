package io.prorch.web;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The answer of {@link ProrchWeb#handle}: what a server adapter writes back.
 *
 * @param status the HTTP status
 * @param contentType the value of the {@code Content-Type} header
 * @param headers further headers to send (security headers, {@code Set-Cookie}, {@code Location})
 * @param body the body's bytes (not copied: do not change them)
 */
public record WebResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
    /**
     * Copies {@code headers}.
     *
     * @throws NullPointerException if an argument is null
     */
    public WebResponse {
        requireNonNull(contentType, "contentType");
        headers = Map.copyOf(requireNonNull(headers, "headers"));
        requireNonNull(body, "body");
    }

    /** @return the body as UTF-8 text (every page and JSON answer is UTF-8) */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
