package io.prorch.services;

import static java.util.Objects.requireNonNull;

import io.prorch.web.ProrchWeb;
import io.prorch.web.WebAction;
import io.prorch.web.WebGuard;
import io.prorch.web.WebRequest;
import io.prorch.web.WebResponse;
import io.prorch.web.WebRoutes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The services HTTP API ({@link ServicesApi}) served by prorch-web beside the status page: one port or one servlet,
 * one mount path, one {@link io.prorch.web.Authorizer}. The paths are those of the API, below where the page is
 * mounted: {@code POST /services}, {@code POST /workflows}, {@code POST /e/{workflow}}, {@code GET /e/{event-id}},
 * {@code POST /callbacks/{event-id}/{step}}.
 *
 * <ul>
 *   <li>Everything under {@code /services} and {@code /workflows} (registration) asks prorch-web's guard first: a
 *       request a browser marks as coming from another site answers {@code 403}, then the page's Authorizer decides
 *       ({@link WebAction#REGISTER_SERVICE}, {@link WebAction#REGISTER_WORKFLOW}, on no pipeline; {@code 403} if it
 *       says no). The default {@code Authorizer.denyAll()} refuses every registration.</li>
 *   <li>Events and callbacks are open, as on {@link ServicesServer}: put the host's own authentication in front if
 *       they need it. A callback names its event's random id. Like every POST here, they are refused when a browser
 *       says they come from another site, so another site's page cannot use a visitor's session.</li>
 * </ul>
 *
 * <pre>{@code
 * Services services = Services.builder().callbackBase(URI.create("https://ops.example.com/prorch")).build();
 * ...                                                     // register, configure, bind as usual
 * ProrchWeb web = ProrchWeb.builder(orchestrator)
 *         .authorizer((request, action, pipelineId) -> "admin".equals(request.principal()))
 *         .routes(ServicesRoutes.create(services))
 *         .build();                                       // web.start(), or new ProrchWebServlet(web) at /prorch/*
 * }</pre>
 *
 * <p>Needs prorch-web on the class path (an optional dependency of prorch-services). Thread-safe.
 */
public final class ServicesRoutes implements WebRoutes {
    private static final Set<String> SEGMENTS = Set.of("services", "workflows", "e", "callbacks");
    private final ServicesApi api;

    private ServicesRoutes(Services services) {
        // the guard has decided on registrations before the API sees them
        this.api = new ServicesApi(services, request -> true);
    }

    /**
     * @param services the registry events are started through (bound to the orchestrator the page shows)
     * @return the routes, for {@link ProrchWeb.Builder#routes}
     * @throws NullPointerException if {@code services} is null
     */
    public static ServicesRoutes create(Services services) {
        return new ServicesRoutes(requireNonNull(services, "services"));
    }

    /** @return {@code services}, {@code workflows}, {@code e} and {@code callbacks} */
    @Override
    public Set<String> segments() {
        return SEGMENTS;
    }

    /** @return 1 MiB, as {@link ServicesServer} reads */
    @Override
    public int maxBodyBytes() {
        return Json.MAX_DOCUMENT_CHARS;
    }

    @Override
    public WebResponse handle(WebRequest request, WebGuard guard) {
        String first = request.path().split("/", 3)[1];
        if (request.method().equals("POST")) {
            // events are open, but a host may put its session authentication in front: no other site's page uses it
            Optional<WebResponse> refusal = guard.crossSiteRefusal();
            if (refusal.isPresent()) {
                return refusal.get();
            }
        }
        if (first.equals("services") || first.equals("workflows")) {
            Optional<WebResponse> refusal = guard.refusal(first.equals("services") ? WebAction.REGISTER_SERVICE
                    : WebAction.REGISTER_WORKFLOW, null);
            if (refusal.isPresent()) {
                return refusal.get();
            }
        }
        ApiResponse answer = api.handle(new ApiRequest(request.method(), rawPath(request.path()),
                request.headers(), request.bodyText()));
        return new WebResponse(answer.status(), "application/json", Map.of(),
                answer.body().getBytes(StandardCharsets.UTF_8));
    }

    /** The adapters hand over a decoded path; ServicesApi decodes each segment itself, as it came from the wire. */
    private static String rawPath(String path) {
        StringBuilder raw = new StringBuilder();
        String[] segments = path.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            raw.append('/').append(URLEncoder.encode(segments[i], StandardCharsets.UTF_8));
        }
        return raw.length() == 0 ? "/" : raw.toString();
    }
}
