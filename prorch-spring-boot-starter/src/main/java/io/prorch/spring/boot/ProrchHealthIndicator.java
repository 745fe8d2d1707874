package io.prorch.spring.boot;

import static java.util.Objects.requireNonNull;

import io.prorch.Orchestrator;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.SearchFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * UP if the orchestrator's store answers within a bound: its clock ({@link IRepository#currentTime()}, one
 * {@code SELECT} on a database) or, for a store without one, a search for one pipeline. Details: the orchestrator's
 * id, whether it polls, and the store's time when it has one. A store that does not answer in time is DOWN, and a
 * check still waiting is not started again: the next health request waits on the same one, so a hung database does
 * not pile up threads.
 */
public final class ProrchHealthIndicator extends AbstractHealthIndicator {
    private final Orchestrator orchestrator;
    private final OrchestratorLifecycle lifecycle;
    private final Duration timeout;
    private final Executor executor;
    private CompletableFuture<Optional<Instant>> inFlight;

    /**
     * @param orchestrator the orchestrator whose store is checked
     * @param lifecycle its lifecycle, which tells whether it polls; null if polling is not managed by the starter
     * @param timeout how long to wait for the store
     */
    public ProrchHealthIndicator(Orchestrator orchestrator, OrchestratorLifecycle lifecycle, Duration timeout) {
        super("prorch health check failed");
        this.orchestrator = requireNonNull(orchestrator, "orchestrator");
        this.lifecycle = lifecycle;
        this.timeout = requireNonNull(timeout, "timeout");
        this.executor = task -> {
            Thread thread = new Thread(task, "prorch-health");
            thread.setDaemon(true);
            thread.start();
        };
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        builder.withDetail("orchestratorId", orchestrator.id());
        if (lifecycle != null) {
            builder.withDetail("polling", lifecycle.isRunning());
        }
        CompletableFuture<Optional<Instant>> check = check();
        try {
            Optional<Instant> storeTime = check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            storeTime.ifPresent(time -> builder.withDetail("storeTime", time.toString()));
            builder.up();
        } catch (TimeoutException e) {
            builder.down().withDetail("error", "the store did not answer within " + timeout);
        } catch (ExecutionException e) {
            builder.down(e.getCause());
        }
    }

    private synchronized CompletableFuture<Optional<Instant>> check() {
        if (inFlight == null || inFlight.isDone()) {
            IRepository repository = orchestrator.config().repository();
            inFlight = CompletableFuture.supplyAsync(() -> {
                Optional<Instant> time = repository.currentTime();
                if (time.isEmpty()) {
                    repository.search(Model.PIPELINE, SearchFilter.all().limit(1));
                }
                return time;
            }, executor);
        }
        return inFlight;
    }
}
