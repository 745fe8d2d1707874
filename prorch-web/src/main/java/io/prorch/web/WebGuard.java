package io.prorch.web;

import java.util.Optional;
import java.util.UUID;

/**
 * What {@link WebRoutes} ask before they change anything, bound to one request: the same checks as the page's operator
 * actions. The request is refused when a browser says it comes from another site (an {@code Origin} or
 * {@code Sec-Fetch-Site} header naming another site; API clients send neither), then when the host's
 * {@link Authorizer} says no or throws.
 */
public interface WebGuard {
    /**
     * The cross-site half alone, for endpoints open to anyone that a host may still put behind its own session
     * authentication (a page of another site must not use the visitor's session); asks no {@link Authorizer}.
     *
     * @return empty unless a browser says the request comes from another site; else the {@code 403} JSON answer
     */
    Optional<WebResponse> crossSiteRefusal();

    /**
     * @param action what the request asks for
     * @param pipelineId the pipeline it applies to, or null for an action on no pipeline (a registration)
     * @return empty if it may run; otherwise the {@code 403} JSON answer to send, which says why
     * @throws NullPointerException if {@code action} is null
     */
    Optional<WebResponse> refusal(WebAction action, UUID pipelineId);
}
