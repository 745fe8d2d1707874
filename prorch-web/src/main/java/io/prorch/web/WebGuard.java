package io.prorch.web;

import java.util.Optional;
import java.util.UUID;

/**
 * What {@link WebRoutes} ask before they change anything, bound to one request: the same checks as the page's operator
 * actions. The request is refused when a browser says it comes from another site (an {@code Origin} or
 * {@code Sec-Fetch-Site} header naming another site; API clients send neither), then when the host's
 * {@link Authorizer} says no or throws.
 */
@FunctionalInterface
public interface WebGuard {
    /**
     * @param action what the request asks for
     * @param pipelineId the pipeline it applies to, or null for an action on no pipeline (a registration)
     * @return empty if it may run; otherwise the {@code 403} JSON answer to send, which says why
     * @throws NullPointerException if {@code action} is null
     */
    Optional<WebResponse> refusal(WebAction action, UUID pipelineId);
}
