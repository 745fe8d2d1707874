package io.prorch.spring.boot.internal;

import static java.util.Objects.requireNonNull;

import io.prorch.Orchestrator;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.SearchFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The health check of an orchestrator's store, free of any Spring Boot type, so that the Boot 3 indicator
 * ({@code io.prorch.spring.boot.ProrchHealthIndicator}) and the Boot 4 one ({@link Boot4HealthIndicator}), whose health
 * APIs live in different packages, report the same thing. UP if the store's clock ({@link IRepository#currentTime()})
 * or, for a store without one, a one-row search answers within the timeout. A check still waiting is not started
 * again: the next request waits on the same one, so a hung database does not pile up threads.
 */
public final class StoreHealthCheck {
    private final Orchestrator orchestrator;
    private final BooleanSupplier polling;
    private final Duration timeout;
    private final Executor executor;
    private CompletableFuture<Optional<Instant>> inFlight;

    /**
     * @param orchestrator the orchestrator whose store is checked
     * @param polling whether it polls; null if polling is not managed by the starter
     * @param timeout how long to wait for the store
     */
    public StoreHealthCheck(Orchestrator orchestrator, BooleanSupplier polling, Duration timeout) {
        this.orchestrator = requireNonNull(orchestrator, "orchestrator");
        this.polling = polling;
        this.timeout = requireNonNull(timeout, "timeout");
        this.executor = task -> {
            Thread thread = new Thread(task, "prorch-health");
            thread.setDaemon(true);
            thread.start();
        };
    }

    /**
     * Checks the store, waiting at most the timeout.
     *
     * @return UP or DOWN, the details ({@code orchestratorId}, {@code polling}, {@code storeTime} or {@code error}) and
     *         the store's failure, if it failed
     */
    public Result check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("orchestratorId", orchestrator.id());
        if (polling != null) {
            details.put("polling", polling.getAsBoolean());
        }
        CompletableFuture<Optional<Instant>> check = inFlight();
        try {
            Optional<Instant> storeTime = check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            storeTime.ifPresent(time -> details.put("storeTime", time.toString()));
            return new Result(true, details, null);
        } catch (TimeoutException e) {
            details.put("error", "the store did not answer within " + timeout);
            return new Result(false, details, null);
        } catch (ExecutionException e) {
            return new Result(false, details, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            details.put("error", "interrupted while waiting for the store");
            return new Result(false, details, null);
        }
    }

    private synchronized CompletableFuture<Optional<Instant>> inFlight() {
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

    /**
     * What one check found.
     *
     * @param up whether the store answered in time
     * @param details what to show in the health endpoint, in order
     * @param failure the store's exception when it failed (Boot adds it as the {@code error} detail); else null
     */
    public record Result(boolean up, Map<String, Object> details, Throwable failure) {
        /** Keeps an unmodifiable copy of the details. */
        public Result {
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }
    }
}
