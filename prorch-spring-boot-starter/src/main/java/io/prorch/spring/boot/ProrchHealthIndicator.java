package io.prorch.spring.boot;

import io.prorch.Orchestrator;
import io.prorch.repository.IRepository;
import io.prorch.spring.boot.internal.StoreHealthCheck;
import java.time.Duration;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The {@code prorch} health indicator on Spring Boot 3 (on Boot 4 the starter registers one of Boot 4's health API under
 * the same name, {@code prorchHealthIndicator}, with the same checks and details).
 *
 * <p>UP if the orchestrator's store answers within a bound: its clock ({@link IRepository#currentTime()}, one
 * {@code SELECT} on a database) or, for a store without one, a search for one pipeline. Details: the orchestrator's
 * id, whether it polls, and the store's time when it has one. A store that does not answer in time is DOWN, and a
 * check still waiting is not started again: the next health request waits on the same one, so a hung database does
 * not pile up threads.
 */
public final class ProrchHealthIndicator extends AbstractHealthIndicator {
    private final StoreHealthCheck check;

    /**
     * @param orchestrator the orchestrator whose store is checked
     * @param lifecycle its lifecycle, which tells whether it polls; null if polling is not managed by the starter
     * @param timeout how long to wait for the store
     */
    public ProrchHealthIndicator(Orchestrator orchestrator, OrchestratorLifecycle lifecycle, Duration timeout) {
        super("prorch health check failed");
        this.check = new StoreHealthCheck(orchestrator, lifecycle == null ? null : lifecycle::isRunning, timeout);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        StoreHealthCheck.Result result = check.check();
        builder.withDetails(result.details());
        if (result.up()) {
            builder.up();
        } else if (result.failure() != null) {
            builder.down(result.failure());
        } else {
            builder.down();
        }
    }
}
