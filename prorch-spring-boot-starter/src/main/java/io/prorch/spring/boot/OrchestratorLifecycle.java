package io.prorch.spring.boot;

import static java.util.Objects.requireNonNull;

import io.prorch.Orchestrator;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Ties an {@link Orchestrator} to the application context: polling starts when the context has started (unless
 * {@code prorch.auto-startup=false}), and the orchestrator is closed when it stops, which waits for the hooks in
 * flight and releases their claims. Its phase puts the stop after the web server's graceful shutdown, so requests
 * still being served may start pipelines.
 *
 * <p>A closed orchestrator cannot poll again: {@link #start()} after {@link #stop()} throws.
 */
public final class OrchestratorLifecycle implements SmartLifecycle {
    /** Below the web server's phases ({@code DEFAULT_PHASE - 2048}): started before it, stopped after it. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final Orchestrator orchestrator;
    private final Duration pollInterval;
    private final boolean autoStartup;
    private final Object lock = new Object();
    private boolean running;
    private boolean closed;

    /**
     * @param orchestrator the orchestrator to poll with and close
     * @param pollInterval the pause between polling passes
     * @param autoStartup whether polling starts with the context
     * @throws NullPointerException if an argument is null
     */
    public OrchestratorLifecycle(Orchestrator orchestrator, Duration pollInterval, boolean autoStartup) {
        this.orchestrator = requireNonNull(orchestrator, "orchestrator");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval");
        this.autoStartup = autoStartup;
    }

    /** @throws IllegalStateException if the orchestrator was closed by an earlier {@link #stop()} */
    @Override
    public void start() {
        synchronized (lock) {
            if (running) {
                return;
            }
            if (closed) {
                throw new IllegalStateException("prorch's orchestrator " + orchestrator.id() + " was closed when the"
                        + " application context stopped and cannot poll again; restart the application instead");
            }
            orchestrator.startPolling(pollInterval);
            running = true;
        }
    }

    /** Stops polling and closes the orchestrator, waiting up to its shutdown timeout for hooks in flight. */
    @Override
    public void stop() {
        synchronized (lock) {
            running = false;
            closed = true;
        }
        orchestrator.close();
    }

    /** @return true while polling */
    @Override
    public boolean isRunning() {
        synchronized (lock) {
            return running;
        }
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
