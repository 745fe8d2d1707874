package io.prorch.web;

import java.util.Set;

/**
 * Endpoints another module serves beside the status page: on the same port ({@link ProrchWeb#start()}) or servlet,
 * under the same mount path and the same {@link Authorizer}. prorch-services' HTTP API is one
 * ({@code io.prorch.services.ServicesRoutes}); an application adds it with {@link ProrchWeb.Builder#routes}, and an
 * application without it never loads that module.
 *
 * <p>A request whose first path segment is one of {@link #segments()} goes to {@link #handle}, any other to the page.
 * Implementations ask the {@link WebGuard} before anything that needs the host's consent, and must be thread-safe.
 *
 * <pre>{@code
 * ProrchWeb web = ProrchWeb.builder(orchestrator)
 *         .authorizer(authorizer)                       // also decides on the routes' guarded actions
 *         .routes(ServicesRoutes.create(services))      // POST /services, /workflows, /e/{workflow}, ...
 *         .build();
 * }</pre>
 */
public interface WebRoutes {
    /** Largest body a request to routes is read with unless {@link #maxBodyBytes()} says otherwise: 16 KiB. */
    int DEFAULT_MAX_BODY_BYTES = 16 * 1024;

    /**
     * @return the first path segments served here, such as {@code "e"} for {@code /e/...}; none may be one of the
     *     page's ({@link ProrchWeb#PAGE_SEGMENTS}) or another routes'; each non-empty and without {@code /}
     */
    Set<String> segments();

    /** @return the largest request body these routes accept; longer ones answer 413 before {@link #handle} */
    default int maxBodyBytes() {
        return DEFAULT_MAX_BODY_BYTES;
    }

    /**
     * Answers one request. prorch-web adds its security headers to the answer; a throw answers 500 (and is logged).
     *
     * @param request the request, its path below the mount point (as the page's) and its raw {@link WebRequest#body()}
     * @param guard the cross-site check and the host's {@link Authorizer}, bound to this request
     * @return the answer
     */
    WebResponse handle(WebRequest request, WebGuard guard);
}
