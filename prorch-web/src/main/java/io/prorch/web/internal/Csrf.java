package io.prorch.web.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * Cross-site request forgery defence for the operator actions. A POST must carry this server's random token (a hidden
 * form field, or the {@code X-Prorch-Csrf} header for API clients, which read it from {@code GET /api/csrf}: a page of
 * another site can neither read that answer nor set that header); a form POST must also bring the token back in a
 * {@code SameSite=Strict} cookie; and an {@code Origin} or {@code Sec-Fetch-Site} header, when the browser sends one,
 * must name this same site.
 */
public final class Csrf {
    static final String FIELD = "_csrf";
    static final String HEADER = "X-Prorch-Csrf";
    static final String COOKIE = "prorch_csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;

    Csrf() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String token() {
        return token;
    }

    /** @return the Set-Cookie value that pages send, scoped to where the page is mounted */
    String cookie(Call call) {
        String path = call.mountPath().isEmpty() ? "/" : call.mountPath();
        return COOKIE + "=" + token + "; Path=" + path + "; SameSite=Strict; HttpOnly";
    }

    /** @return the hidden form field that carries the token */
    String field() {
        return "<input type=\"hidden\" name=\"" + FIELD + "\" value=\"" + token + "\">";
    }

    /**
     * @throws Problem 403 saying what is missing when the POST is not from this site's own page or a client that
     *     read the token
     */
    void check(Call call) {
        String crossSite = crossSite(call);
        if (crossSite != null) {
            throw refused(crossSite);
        }
        String header = call.header(HEADER);
        if (header != null) {
            if (!matches(header)) {
                throw refused("its " + HEADER + " header holds a wrong token");
            }
            return;
        }
        if (!matches(call.field(FIELD))) {
            throw refused("it carries no valid " + FIELD + " field");
        }
        if (!matches(cookieValue(call.header("Cookie")))) {
            throw refused("the " + COOKIE + " cookie is missing or stale");
        }
    }

    /**
     * The half of the check that needs no token, for endpoints machines call ({@code WebRoutes}): a browser names the
     * site a request comes from in {@code Sec-Fetch-Site} or {@code Origin}; server-side clients send neither.
     *
     * @return why the request comes from another site, or null if nothing says so
     */
    public static String crossSite(Call call) {
        String fetchSite = call.header("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return "it comes from another site (Sec-Fetch-Site: " + fetchSite + ")";
        }
        String origin = call.header("Origin");
        if (origin != null && !sameHost(origin, call.header("Host"))) {
            return "its Origin " + origin + " is not this server (" + call.header("Host") + ")";
        }
        return null;
    }

    private boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean sameHost(String origin, String host) {
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            String authority = uri.getRawAuthority();
            return authority != null && authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String cookieValue(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String trimmed = part.trim();
            if (trimmed.startsWith(COOKIE + "=")) {
                return trimmed.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }

    private static Problem refused(String why) {
        return new Problem(403, "Refused (CSRF check): this POST did not come from the status page: " + why
                + ". Reload the page and try again; API clients send the header " + HEADER
                + " with the token from GET /api/csrf.");
    }
}
