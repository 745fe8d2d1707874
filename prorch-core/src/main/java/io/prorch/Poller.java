package io.prorch;

import static java.util.Objects.requireNonNull;

import io.prorch.internal.engine.Engine;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The background polling loop of {@link Orchestrator#startPolling}: one daemon thread, started once. */
final class Poller {
    /** The orchestrator's logger, so a failed poll is logged under the same name as before. */
    private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);

    private final Engine engine;
    private final Object lock = new Object();
    private ScheduledExecutorService executor;

    Poller(Engine engine) {
        this.engine = engine;
    }

    /** See {@link Orchestrator#startPolling(Duration)} for the contract. */
    void start(Duration interval) {
        requireNonNull(interval, "interval");
        if (interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("polling interval must be at least 1 ms, but was " + interval);
        }
        synchronized (lock) {
            if (engine.isClosing()) {
                throw new IllegalStateException("This orchestrator is closed; create a new one");
            }
            if (executor != null) {
                throw new IllegalStateException("Polling already started; call startPolling once");
            }
            executor = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "prorch-poller");
                thread.setDaemon(true);
                return thread;
            });
            executor.scheduleWithFixedDelay(this::pollOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
            ScheduledExecutorService started = executor;
            engine.pollNow(() -> {
                try {
                    started.execute(this::pollOnce);
                } catch (RejectedExecutionException closing) {
                    // closed: nothing more to claim here
                }
            });
        }
    }

    private void pollOnce() {
        try {
            if (!engine.isClosing()) {
                engine.poll();
            }
        } catch (Throwable t) {
            // the polling loop never dies: the next pass runs as scheduled
            LOG.error("prorch: a polling pass failed; the next one runs as scheduled", t);
        }
    }

    /** Stops scheduling polls; one running finishes. */
    void shutdown() {
        synchronized (lock) {
            if (executor != null) {
                executor.shutdown();
            }
        }
    }

    /** Stops the polling thread, interrupting a poll still running. */
    void shutdownNow() {
        synchronized (lock) {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }
}
