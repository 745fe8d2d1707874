package io.prorch;

import static java.util.Objects.requireNonNull;

import io.prorch.internal.config.Settings;
import io.prorch.internal.engine.Engine;
import io.prorch.internal.engine.StoreClock;
import io.prorch.internal.engine.Views;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts pipelines and drives them: each {@link #executePipelines()} pass claims every pending pipeline that is due,
 * runs the hooks its current step calls for, and saves every transition before the next hook runs.
 *
 * <pre>{@code
 * try (Orchestrator orchestrator = new Orchestrator(config)) {
 *     UUID id = orchestrator.start(BackupAutomationPipeline.class, Map.of("database", "orders"));
 *     orchestrator.startPolling(Duration.ofSeconds(1));   // or call executePipelines() from your own scheduler
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Several orchestrators (threads, processes, machines) may share one store: a claim keeps any two of
 * them from running hooks of the same pipeline at once. {@link #close()} stops polling and waits for hooks in flight.
 */
public final class Orchestrator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);

    private final OrchestratorConfig config;
    private final IRepository repository;
    private final Clock clock;
    private final Engine engine;
    private final Object pollingLock = new Object();
    private ScheduledExecutorService poller;

    /**
     * Creates an orchestrator and its worker threads; nothing runs until {@link #start} or a pass.
     *
     * @throws NullPointerException if {@code config} is null
     */
    public Orchestrator(OrchestratorConfig config) {
        this.config = requireNonNull(config, "config");
        this.repository = config.repository();
        this.clock = config.storeClock()
                ? StoreClock.attach(repository, config.clock()).<Clock>map(c -> c).orElse(config.clock())
                : config.clock();
        this.engine = new Engine(config, config.definitions(), clock);
        Settings.unsafe(config.workerThreads(), repository.connectionLimit(), config.claimDuration())
                .forEach(problem -> LOG.warn("prorch: {}", problem));
    }

    /** @return the id this orchestrator claims pipelines under */
    public String id() {
        return config.orchestratorId();
    }

    /** @return the configuration it was created with */
    public OrchestratorConfig config() {
        return config;
    }

    /**
     * Starts a pipeline with empty input: {@code starter(pipeline).start()}.
     *
     * @throws NullPointerException if {@code pipeline} is null
     * @throws IllegalArgumentException if {@code pipeline} is not a registered {@code @Pipeline} class
     * @see Starter#start()
     */
    public UUID start(Class<?> pipeline) {
        return starter(pipeline).start();
    }

    /**
     * Starts a pipeline: {@code starter(pipeline).input(input).start()}. It is saved ({@code pending}, the input as
     * its metadata) with one {@code created} record per step and handed to this orchestrator's workers, which run its
     * first step at once, without waiting for a pass. Returns as soon as the pipeline is saved.
     *
     * @param pipeline a registered {@code @Pipeline} class
     * @param input the run's initial pipeline metadata; JSON-compatible values (see {@link Metadata}); may be empty
     * @return the new pipeline's id
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code pipeline} is not registered, or a value of {@code input} is not
     *     JSON-compatible (the message names the key); nothing is saved
     * @throws io.prorch.repository.RepositoryException if the store failed; nothing was started
     * @throws IllegalStateException if the orchestrator is closed
     */
    public UUID start(Class<?> pipeline, Map<String, ?> input) {
        return starter(pipeline).input(input).start();
    }

    /**
     * Begins a start of a registered {@code @Pipeline} class, with every option a start can take: input, an
     * idempotency key, the caller's transaction. Nothing is saved until {@link Starter#start()}.
     *
     * @param pipeline a registered {@code @Pipeline} class
     * @return a new starter
     * @throws NullPointerException if {@code pipeline} is null
     * @throws IllegalArgumentException if {@code pipeline} is not registered (the message lists those that are)
     */
    public Starter starter(Class<?> pipeline) {
        requireNonNull(pipeline, "pipeline");
        return new Starter(engine, config.definitions().pipeline(pipeline).orElseThrow(() ->
                new IllegalArgumentException(pipeline.getName() + " is not a registered @Pipeline; register("
                        + pipeline.getSimpleName() + ".class) or scan its package. Registered: "
                        + config.definitions().pipelineNames())));
    }

    /**
     * As {@link #starter(Class)}, naming the pipeline by its stored {@code @Pipeline} name.
     *
     * @param pipelineName a registered pipeline name
     * @return a new starter
     * @throws NullPointerException if {@code pipelineName} is null
     * @throws IllegalArgumentException if no pipeline has that name (the message lists those that do)
     */
    public Starter starter(String pipelineName) {
        requireNonNull(pipelineName, "pipelineName");
        return new Starter(engine, config.definitions().pipeline(pipelineName).orElseThrow(() ->
                new IllegalArgumentException("No pipeline named \"" + pipelineName + "\" is registered. Registered: "
                        + config.definitions().pipelineNames())));
    }

    /**
     * Sends a signal to a pipeline: {@code signaller(SignalTarget.id(pipelineId)).name(name).payload(payload).send()}.
     *
     * @return the signal's id
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name is blank or too long, or the payload is not JSON-compatible
     * @throws PipelineNotFoundException if no pipeline has this id
     * @throws PipelineEndedException if the pipeline already ended; nothing is stored
     * @see SignalSender#send()
     */
    public UUID signal(UUID pipelineId, String name, Map<String, ?> payload) {
        return signal(SignalTarget.id(pipelineId), name, payload);
    }

    /**
     * Sends a signal to a pipeline named by its id or by the key it was started with.
     *
     * @return the signal's id
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name is blank or too long, or the payload is not JSON-compatible
     * @throws PipelineNotFoundException if no pipeline matches the target
     * @throws PipelineEndedException if the pipeline already ended; nothing is stored
     * @see SignalSender#send()
     */
    public UUID signal(SignalTarget target, String name, Map<String, ?> payload) {
        return signaller(target).name(name).payload(payload).send();
    }

    /**
     * Begins a signal with every option a send can take: payload, a sender's key, the caller's transaction.
     *
     * @throws NullPointerException if {@code target} is null
     */
    public SignalSender signaller(SignalTarget target) {
        return new SignalSender(engine, repository, requireNonNull(target, "target"));
    }

    /**
     * Waits until a pipeline ended (finished, failed or cancelled), for request/response callers, without holding a
     * connection or a thread of the orchestrator.
     *
     * @return the pipeline's view once it ended, or as it is when {@code timeout} passed: check {@code status()}
     * @throws NullPointerException if an argument is null
     * @throws PipelineNotFoundException if no pipeline has this id
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public PipelineView awaitCompletion(UUID pipelineId, Duration timeout) throws InterruptedException {
        requireNonNull(pipelineId, "pipelineId");
        requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 2;
        while (true) {
            PipelineView view = find(pipelineId).orElseThrow(() -> new PipelineNotFoundException(pipelineId));
            long left = deadline - System.nanoTime();
            if (view.status().isTerminal() || left <= 0) {
                return view;
            }
            Thread.sleep(Math.max(1, Math.min(pause, left / 1_000_000)));
            pause = Math.min(pause * 2, 100);
        }
    }

    /**
     * Runs one pass: claims every pending pipeline due now (in batches of {@code batchSize}), drives each as far as
     * it goes (a finished step is followed by the next in the same pass), and waits for them. A hook that throws or a
     * pipeline that cannot be driven never stops the pass for the others; both are counted and described in the
     * summary. Passes may run concurrently, from several threads or orchestrators.
     *
     * @return what the pass did
     * @throws IllegalStateException if the orchestrator is closed
     */
    public PassSummary executePipelines() {
        PassSummary summary = engine.executePass();
        if (summary.claimed() > 0) {
            LOG.debug("prorch pass: {}", summary);
        }
        return summary;
    }

    /**
     * @param pipelineId a pipeline's id
     * @return a read-only snapshot of the pipeline and its steps, or empty if no pipeline has this id
     * @throws NullPointerException if {@code pipelineId} is null
     * @throws io.prorch.repository.RepositoryException if the store failed
     */
    public Optional<PipelineView> find(UUID pipelineId) {
        requireNonNull(pipelineId, "pipelineId");
        return repository.get(Model.PIPELINE, pipelineId).map(p -> Views.of(p, repository));
    }

    /**
     * Lists the pipelines {@code query} matches, newest first, one page at a time (keyset paging: see
     * {@link PipelineQuery}). Each page is one {@code search} of the store.
     *
     * @throws NullPointerException if {@code query} is null
     * @throws io.prorch.repository.RepositoryException if the store failed
     */
    public PipelinePage query(PipelineQuery query) {
        return Queries.page(repository, requireNonNull(query, "query"));
    }

    /**
     * @return how many pipelines there are, by status and by name (see {@link PipelineCounts#estimated()})
     * @throws io.prorch.repository.RepositoryException if the store failed
     */
    public PipelineCounts counts() {
        return repository.countPipelines();
    }

    /**
     * Cancels a pipeline from outside: it and its current step become {@code cancelled} with {@code reason}, and no
     * further hook of it runs. A hook already running elsewhere may finish, but its result is not saved.
     *
     * @param pipelineId the pipeline's id
     * @param reason why, recorded on the pipeline and the step
     * @return true if this call cancelled it; false if it had already ended (finished, failed or cancelled)
     * @throws NullPointerException if an argument is null
     * @throws PipelineNotFoundException if no pipeline has this id
     * @throws io.prorch.repository.RepositoryException if the store failed or the pipeline kept changing
     */
    public boolean cancel(UUID pipelineId, String reason) {
        requireNonNull(pipelineId, "pipelineId");
        requireNonNull(reason, "reason");
        return engine.cancel(pipelineId, reason);
    }

    /**
     * Retries a failed pipeline, as an operator does once the cause is fixed: its failed step is entered again
     * ({@code onStart} runs again, so make it idempotent) with its attempt count reset, and the pipeline is pending
     * and due at once. Conditional on the version the operator saw ({@link PipelineView#version()}).
     *
     * @throws NullPointerException if {@code pipelineId} is null
     * @throws PipelineNotFoundException if no pipeline has this id
     * @throws PipelineChangedException if the pipeline changed since that version; nothing is changed
     * @throws IllegalStateException if the pipeline did not fail; nothing is changed
     */
    public void retry(UUID pipelineId, long seenVersion) {
        engine.retry(requireNonNull(pipelineId, "pipelineId"), seenVersion);
    }

    /**
     * Continues a waiting pipeline now, as an operator does to skip a {@code continueAfter} delay, a retry's backoff or
     * a wait for a signal (its hook then decides again). Conditional on the version the operator saw.
     *
     * @throws NullPointerException if {@code pipelineId} is null
     * @throws PipelineNotFoundException if no pipeline has this id
     * @throws PipelineChangedException if the pipeline changed since that version; nothing is changed
     * @throws IllegalStateException if the pipeline ended or an orchestrator is running it; nothing is changed
     */
    public void resume(UUID pipelineId, long seenVersion) {
        engine.resume(requireNonNull(pipelineId, "pipelineId"), seenVersion);
    }

    /**
     * Re-enters a pipeline at one of its steps, earlier or later than where it is, whatever its status: that step and
     * every later one are {@code created} again (their metadata kept, their attempts reset), and the pipeline is
     * pending there and due at once. Conditional on the version the operator saw.
     *
     * @param stepName one of the steps the pipeline was started with
     * @throws NullPointerException if an argument is null
     * @throws PipelineNotFoundException if no pipeline has this id
     * @throws PipelineChangedException if the pipeline changed since that version; nothing is changed
     * @throws IllegalArgumentException if the pipeline has no step of that name
     * @throws IllegalStateException if an orchestrator is running the pipeline; nothing is changed
     */
    public void restartFrom(UUID pipelineId, String stepName, long seenVersion) {
        engine.restartFrom(requireNonNull(pipelineId, "pipelineId"), requireNonNull(stepName, "stepName"),
                seenVersion);
    }

    /**
     * Polls in the background until {@link #close()}: every {@code interval}, claims the pipelines due then and hands
     * them to the workers, keeping at most two batches in flight. Unlike {@link #executePipelines()}, a poll does not
     * wait for the runs it starts, so slow hooks never delay the next poll, and a claim left by a dead orchestrator
     * is taken over within the claim duration plus {@code interval}. A poll that fails (the database is down) is
     * logged and the next one runs as scheduled: the loop never dies.
     *
     * @param interval the pause between passes, at least 1 ms
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if {@code interval} is shorter than 1 ms
     * @throws IllegalStateException if polling already started, or the orchestrator is closed
     */
    public void startPolling(Duration interval) {
        requireNonNull(interval, "interval");
        if (interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("polling interval must be at least 1 ms, but was " + interval);
        }
        synchronized (pollingLock) {
            if (engine.isClosing()) {
                throw new IllegalStateException("This orchestrator is closed; create a new one");
            }
            if (poller != null) {
                throw new IllegalStateException("Polling already started; call startPolling once");
            }
            poller = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "prorch-poller");
                thread.setDaemon(true);
                return thread;
            });
            poller.scheduleWithFixedDelay(this::pollOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
            ScheduledExecutorService started = poller;
            engine.pollNow(() -> {
                try {
                    started.execute(this::pollOnce);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
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

    /**
     * Waits until every pipeline started through this orchestrator, or claimed by its polling loop, has ended its
     * turn (ran as far as it goes for now). Handy in tests and command-line tools.
     *
     * @return true if idle, false if {@code timeout} passed first
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        requireNonNull(timeout, "timeout");
        return engine.awaitIdle(timeout);
    }

    /**
     * Stops polling and new work, waits up to {@code shutdownTimeout} for hooks in flight and saves their results
     * (releasing their claims, so no other orchestrator needs to wait for them to expire), then stops the threads.
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (pollingLock) {
            if (poller != null) {
                poller.shutdown();
            }
        }
        engine.close(config.shutdownTimeout());
        synchronized (pollingLock) {
            if (poller != null) {
                poller.shutdownNow();
            }
        }
    }
}
