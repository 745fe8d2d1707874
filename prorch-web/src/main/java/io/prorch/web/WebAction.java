package io.prorch.web;

import java.util.Optional;

/** An operator action the status page and the JSON API offer behind POST; an {@link Authorizer} decides each one. */
public enum WebAction {
    /** Retry a failed pipeline at its failed step ({@code Orchestrator.retry}). */
    RETRY("retry"),
    /** Continue a waiting pipeline now ({@code Orchestrator.resume}). */
    RESUME("resume"),
    /** Cancel a pipeline that has not ended ({@code Orchestrator.cancel}). */
    CANCEL("cancel"),
    /** Re-enter a pipeline at a step ({@code Orchestrator.restartFrom}). */
    RESTART_FROM("restart-from");

    private final String pathName;

    WebAction(String pathName) {
        this.pathName = pathName;
    }

    /** @return the action's name in URLs, e.g. {@code restart-from} in {@code POST /api/pipelines/{id}/restart-from} */
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
