package io.prorch.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code prorch.web.*} properties: prorch-web's status page mounted in the application's servlet container. */
@ConfigurationProperties(prefix = "prorch.web")
public class ProrchWebProperties {
    /** Whether to mount the status page (and every WebRoutes bean, such as the services API) in the container. */
    private boolean enabled;
    /** Where the page is mounted, e.g. /prorch serves /prorch/ and /prorch/api/...; "/" mounts it at the root. */
    private String path = "/prorch";
    /**
     * Whether the page serves operator actions (retry, resume, cancel, restart-from). They also need an
     * io.prorch.web.Authorizer bean, which decides each one: without one they stay off.
     */
    private boolean actionsEnabled;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public boolean isActionsEnabled() {
        return actionsEnabled;
    }

    public void setActionsEnabled(boolean actionsEnabled) {
        this.actionsEnabled = actionsEnabled;
    }
}
