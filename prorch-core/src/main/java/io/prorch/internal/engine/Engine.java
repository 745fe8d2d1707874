package io.prorch.internal.engine;

import io.prorch.PassSummary;
import io.prorch.SignalTarget;
import io.prorch.OrchestratorConfig;
import io.prorch.internal.registry.Definitions;
import io.prorch.internal.registry.PipelineDefinition;
import io.prorch.internal.registry.StepDefinition;
import io.prorch.repository.IRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running machinery behind an {@code Orchestrator}, put together and taken apart here: the {@link RunLoop} with
 * its workers and committer, the {@link Claimer}, the {@link Watchdog}, and {@link Starts}. This class owns their
 * lifecycle and nothing else.
 */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Clock clock;
    private final ExecutorService workers;
    private final RunLoop loop;
    private final Claimer claimer;
    private final Watchdog watchdog;
    private final Starts starts;
    private final Actions actions;
    private final Signals signals;
    private final Tracker background = new Tracker(null);

    /**
     * @param config the orchestrator's configuration
     * @param definitions the known pipelines and steps
     * @param clock the clock for timestamps, due times and claims (the store's, where it has one)
     */
    public Engine(OrchestratorConfig config, Definitions definitions, Clock clock) {
        IRepository repository = config.repository();
        String owner = config.orchestratorId();
        Duration claimDuration = config.claimDuration();
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(config.workerThreads(), Threads.named("prorch-worker"));
        StepMachine machine = new StepMachine(definitions, owner, claimDuration, config.maxMetadataBytes());
        Listeners listeners = new Listeners(config.listeners());
        this.signals = new Signals(repository, clock);
        this.loop = new RunLoop(machine, new HookInvoker(config.stepFactory(), config.interceptors()), repository,
                clock, owner, workers, listeners, signals);
        this.claimer = new Claimer(repository, loop, clock, owner, claimDuration, config.batchSize(), listeners,
                config.onlyPipelines());
        Duration shortestTimeout = definitions.steps().stream().map(StepDefinition::timeout)
                .reduce(claimDuration, (a, b) -> a.compareTo(b) <= 0 ? a : b);
        this.watchdog = new Watchdog(loop, clock, claimDuration, shortestTimeout);
        this.starts = new Starts(repository, loop, clock, owner, claimDuration, config.maxMetadataBytes(), listeners);
        this.actions = new Actions(repository, clock, listeners);
    }

    /**
     * Saves a new pipeline (claimed by this orchestrator) with its steps, and hands it to the workers at once.
     *
     * @param idempotencyKey the caller's key, or null
     * @return the new pipeline's id, or that of the pipeline started earlier with {@code idempotencyKey}
     */
    public UUID start(PipelineDefinition definition, Map<String, Object> input, String idempotencyKey) {
        checkOpen();
        resyncClockIfStale();
        return starts.start(definition, input, idempotencyKey, background);
    }

    /**
     * Saves a new pipeline with its steps through {@code via} (the caller's transaction), unclaimed and due now, and
     * does not run it: the next pass of any orchestrator runs it once the caller commits.
     *
     * @return the new pipeline's id
     */
    public UUID enqueue(IRepository via, PipelineDefinition definition, Map<String, Object> input,
                        String idempotencyKey) {
        checkOpen();
        return starts.enqueue(via, definition, input, idempotencyKey);
    }

    /** @return the id of the pipeline started with {@code idempotencyKey}, if any */
    public Optional<UUID> findByIdempotencyKey(String idempotencyKey) {
        return starts.findByIdempotencyKey(idempotencyKey);
    }

    /**
     * Cancels a pipeline from outside, through the step machine.
     *
     * @return true if this call cancelled it; false if it had already ended
     */
    public boolean cancel(UUID pipelineId, String reason) {
        return actions.cancel(pipelineId, reason);
    }

    /** An operator's retry of a failed pipeline, conditional on the version seen. */
    public void retry(UUID pipelineId, long seenVersion) {
        actions.retry(pipelineId, seenVersion);
    }

    /** An operator's resume of a waiting pipeline, conditional on the version seen. */
    public void resume(UUID pipelineId, long seenVersion) {
        actions.resume(pipelineId, seenVersion);
    }

    /** An operator's restart of a pipeline from a step, conditional on the version seen. */
    public void restartFrom(UUID pipelineId, String stepName, long seenVersion) {
        actions.restartFrom(pipelineId, stepName, seenVersion);
    }

    /**
     * Saves a signal through {@code via} and wakes its pipeline; see {@code Orchestrator.signal}.
     *
     * @param key the sender's key, or null
     * @param local true unless {@code via} is a caller's transaction
     * @return the signal's id
     */
    public UUID signal(IRepository via, SignalTarget target, String name, Map<String, Object> payload, String key,
                       boolean local) {
        checkOpen();
        return signals.send(via, target, name, payload, key, local);
    }

    /** Sets what asks the polling loop to claim due pipelines at once (a signal arrived). */
    public void pollNow(Runnable poll) {
        signals.pollNow(poll);
    }

    /** Runs one pass: claims every pipeline due at its start, in batches, drives each, and waits for them. */
    public PassSummary executePass() {
        checkOpen();
        resyncClockIfStale();
        return claimer.pass();
    }

    /**
     * One round of the polling loop: claims what is due now and hands it to the workers without waiting.
     *
     * @return how many pipelines it claimed
     */
    public int poll() {
        checkOpen();
        resyncClockIfStale();
        return claimer.poll(background);
    }

    /** Waits until every pipeline handed over by {@link #start} or {@link #poll} has ended its turn. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return background.awaitBelow(1, timeout);
    }

    /** Re-reads the store's clock on the caller's thread (never the watchdog's, which must not wait for I/O). */
    private void resyncClockIfStale() {
        if (clock instanceof StoreClock storeClock) {
            storeClock.resyncIfOlderThan(StoreClock.RESYNC_INTERVAL);
        }
    }

    private void checkOpen() {
        if (loop.isClosing()) {
            throw new IllegalStateException("This orchestrator is closed; create a new one");
        }
    }

    /** @return true once {@link #close} was called */
    public boolean isClosing() {
        return loop.isClosing();
    }

    /**
     * Stops taking work, waits up to {@code timeout} for runs in flight to end their turn (their claims are
     * released by their last write), then stops the threads.
     */
    public void close(Duration timeout) {
        loop.closing();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!loop.active().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            watchdog.stop();
            loop.stopCommitter(Math.max(100, (deadline - System.nanoTime()) / 1_000_000));
            workers.shutdownNow();
            workers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!loop.active().isEmpty()) {
            LOG.warn("prorch: closed with {} pipeline(s) still running; their claims expire and they resume elsewhere",
                    loop.active().size());
        }
    }
}
