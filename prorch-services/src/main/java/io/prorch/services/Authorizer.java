package io.prorch.services;

/**
 * Decides whether a request may use the management endpoints ({@code POST /services}, {@code POST /workflows}) of
 * {@link ServicesApi}. Events and callbacks are not behind it. Called on the request's thread; must be thread-safe.
 */
@FunctionalInterface
public interface Authorizer {
    /**
     * @param request the request, its headers included
     * @return true to let it through; false answers {@code 403}
     */
    boolean allows(ApiRequest request);

    /** @return the default: refuses every request */
    static Authorizer denyAll() {
        return request -> false;
    }

    /**
     * @param token the secret an {@code Authorization: Bearer <token>} header must carry; at least 16 characters
     * @return an authorizer letting through requests that carry it
     * @throws IllegalArgumentException if the token is null or shorter than 16 characters
     */
    static Authorizer bearerToken(String token) {
        if (token == null || token.length() < 16) {
            throw new IllegalArgumentException("a bearer token must have at least 16 characters");
        }
        byte[] expected = ("Bearer " + token).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return request -> request.header("Authorization").map(h -> java.security.MessageDigest.isEqual(expected,
                h.getBytes(java.nio.charset.StandardCharsets.UTF_8))).orElse(false);
    }
}
