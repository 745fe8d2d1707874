package io.prorch.web;

import java.util.UUID;

/**
 * Decides whether a request may run an operator action or use a management endpoint of {@link WebRoutes}
 * (prorch-services' {@code POST /services} and {@code POST /workflows}); the host application implements it with its
 * own notion of users (a header its proxy sets, the servlet's principal in {@link WebRequest#principal()}, a role
 * check).
 * Called for every such request after the CSRF check; an Authorizer that throws denies.
 *
 * <pre>{@code
 * Authorizer onCall = (request, action, pipelineId) ->
 *         "ops-oncall".equals(request.principal()) && action != WebAction.RESTART_FROM;
 * }</pre>
 */
@FunctionalInterface
public interface Authorizer {
    /**
     * @param request the request asking for the action
     * @param action the action
     * @param pipelineId the pipeline it applies to; null for an action on no pipeline
     *     ({@link WebAction#REGISTER_SERVICE}, {@link WebAction#REGISTER_WORKFLOW})
     * @return true to let it run; false answers 403 and changes nothing
     */
    boolean permits(WebRequest request, WebAction action, UUID pipelineId);

    /** @return an Authorizer that refuses every action and registration: the default */
    static Authorizer denyAll() {
        return (request, action, pipelineId) -> false;
    }

    /**
     * @return an Authorizer that permits every action and registration: only for a page that something else already
     *     protects (bound to 127.0.0.1 on a developer's machine, or behind the host's own authentication)
     */
    static Authorizer allowAll() {
        return (request, action, pipelineId) -> true;
    }
}
