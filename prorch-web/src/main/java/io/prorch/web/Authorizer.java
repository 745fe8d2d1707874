package io.prorch.web;

import java.util.UUID;

/**
 * Decides whether a request may run an operator action; the host application implements it with its own notion of
 * users (a header its proxy sets, the servlet's principal in {@link WebRequest#principal()}, a role check).
 * Called for every action after the CSRF check; an Authorizer that throws denies.
 *
 * <pre>{@code
 * Authorizer onCall = (request, action, pipelineId) ->
 *         "ops-oncall".equals(request.principal()) && action != WebAction.RESTART_FROM;
 * }</pre>
 */
@FunctionalInterface
public interface Authorizer {
    /**
     * @param request the POST asking for the action
     * @param action the action
     * @param pipelineId the pipeline it applies to
     * @return true to let it run; false answers 403 and changes nothing
     */
    boolean permits(WebRequest request, WebAction action, UUID pipelineId);

    /** @return an Authorizer that refuses every action: the default */
    static Authorizer denyAll() {
        return (request, action, pipelineId) -> false;
    }

    /**
     * @return an Authorizer that permits every action: only for a page that something else already protects (bound to
     *     127.0.0.1 on a developer's machine, or behind the host's own authentication)
     */
    static Authorizer allowAll() {
        return (request, action, pipelineId) -> true;
    }
}
