package io.prorch.web;

import java.util.Optional;

/**
 * An action an {@link Authorizer} decides on: the operator actions the status page and the JSON API offer behind POST
 * (on one pipeline), and the management endpoints of {@link WebRoutes} such as prorch-services' registrations (on no
 * pipeline).
 */
public enum WebAction {
    /** Retry a failed pipeline at its failed step ({@code Orchestrator.retry}). */
    RETRY("retry", true),
    /** Continue a waiting pipeline now ({@code Orchestrator.resume}). */
    RESUME("resume", true),
    /** Cancel a pipeline that has not ended ({@code Orchestrator.cancel}). */
    CANCEL("cancel", true),
    /** Re-enter a pipeline at a step ({@code Orchestrator.restartFrom}). */
    RESTART_FROM("restart-from", true),
    /** Register or replace a service definition ({@code POST /services} of prorch-services); on no pipeline. */
    REGISTER_SERVICE("register-service", false),
    /** Register or replace a workflow definition ({@code POST /workflows} of prorch-services); on no pipeline. */
    REGISTER_WORKFLOW("register-workflow", false);

    private final String pathName;
    private final boolean appliesToPipeline;

    WebAction(String pathName, boolean appliesToPipeline) {
        this.pathName = pathName;
        this.appliesToPipeline = appliesToPipeline;
    }

    /**
     * @return true for the operator actions on one pipeline (the {@link Authorizer} gets its id), false for the
     *     registrations (it gets null)
     */
    public boolean appliesToPipeline() {
        return appliesToPipeline;
    }

    /**
     * @return the action's name, in URLs for the operator actions: e.g. {@code restart-from} in
     *     {@code POST /api/pipelines/{id}/restart-from}
     */
    public String pathName() {
        return pathName;
    }

    /** @return the action named {@code pathName} in URLs, or empty for null or an unknown name */
    public static Optional<WebAction> ofPathName(String pathName) {
        for (WebAction action : values()) {
            if (action.pathName.equals(pathName)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
