package io.prorch;

import static java.util.Objects.requireNonNull;

import io.prorch.internal.engine.Engine;
import io.prorch.internal.engine.ErrorSummary;
import io.prorch.internal.engine.StoreClock;
import io.prorch.internal.engine.Views;
import io.prorch.internal.metadata.JsonValues;
import io.prorch.internal.registry.PipelineDefinition;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
    private static final int CANCEL_ATTEMPTS = 20;

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
        this.engine = new Engine(repository, config.definitions(), config.stepFactory(), clock,
                config.orchestratorId(), config.claimDuration(), config.batchSize(), config.workerThreads());
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
     * Starts a pipeline with empty input. See {@link #start(String, Map)}.
     *
     * @throws NullPointerException if {@code pipeline} is null
     * @throws IllegalArgumentException if {@code pipeline} is not a registered {@code @Pipeline} class
     */
    public UUID start(Class<?> pipeline) {
        return start(pipeline, Map.of());
    }

    /**
     * Starts a pipeline of a registered {@code @Pipeline} class. See {@link #start(String, Map)}.
     *
     * @throws NullPointerException if {@code pipeline} or {@code input} is null
     * @throws IllegalArgumentException if {@code pipeline} is not registered, or the input is not JSON-compatible
     */
    public UUID start(Class<?> pipeline, Map<String, ?> input) {
        requireNonNull(pipeline, "pipeline");
        return start(definition(pipeline), input);
    }

    /**
     * Starts a pipeline: saves it ({@code pending}, the input as its metadata) with one {@code created} record per
     * step, and hands it to this orchestrator's workers, which run its first step at once, without waiting for a
     * pass. Returns as soon as the pipeline is saved.
     *
     * @param pipelineName a registered {@code @Pipeline} name
     * @param input the run's initial pipeline metadata; JSON-compatible values (see {@link Metadata}); may be empty
     * @return the new pipeline's id
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if no pipeline has that name, or a value of {@code input} is not
     *     JSON-compatible (the message names the key); nothing is saved
     * @throws io.prorch.repository.RepositoryException if the store failed; nothing was started
     * @throws IllegalStateException if the orchestrator is closed
     */
    public UUID start(String pipelineName, Map<String, ?> input) {
        requireNonNull(pipelineName, "pipelineName");
        return start(definition(pipelineName), input);
    }

    /**
     * Saves a new pipeline inside the caller's own transaction, so that it exists if, and only if, that transaction
     * commits: the business change and the process that follows it up are one atomic write. {@code transaction} is a
     * view of this orchestrator's store bound to the caller's transaction, such as {@code
     * JdbcRepository.using(connection)}; prorch never commits, rolls back or closes it.
     *
     * <p>The pipeline is saved unclaimed and due at once, but is not run by this call (its first hook must not run
     * before the commit makes it real): the next pass of any orchestrator sharing the store runs it, so it starts
     * within the polling interval of {@link #startPolling}, or at once if the caller runs {@link #executePipelines()}
     * after committing. Given this orchestrator's own repository instead, it simply enqueues the pipeline.
     *
     * <pre>{@code
     * connection.setAutoCommit(false);
     * insertOrder(connection, order);
     * orchestrator.startInTransaction(repository.using(connection), Fulfilment.class, Map.of("order", order.id()));
     * connection.commit();
     * }</pre>
     *
     * @param transaction the store, as seen from inside the caller's transaction
     * @param pipeline a registered {@code @Pipeline} class
     * @param input the run's initial pipeline metadata (JSON-compatible); may be empty
     * @return the new pipeline's id (meaningful once the caller commits)
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the pipeline is not registered or the input is not JSON-compatible;
     *     nothing is written
     * @throws io.prorch.repository.RepositoryException if the write failed; the caller's transaction may be aborted
     *     (on PostgreSQL it is) and should be rolled back
     * @throws IllegalStateException if the orchestrator is closed
     */
    public UUID startInTransaction(IRepository transaction, Class<?> pipeline, Map<String, ?> input) {
        requireNonNull(transaction, "transaction");
        requireNonNull(pipeline, "pipeline");
        return enqueue(transaction, definition(pipeline), input);
    }

    /**
     * As {@link #startInTransaction(IRepository, Class, Map)}, naming the pipeline.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if no pipeline has that name or the input is not JSON-compatible; nothing is
     *     written
     */
    public UUID startInTransaction(IRepository transaction, String pipelineName, Map<String, ?> input) {
        requireNonNull(transaction, "transaction");
        requireNonNull(pipelineName, "pipelineName");
        return enqueue(transaction, definition(pipelineName), input);
    }

    private UUID enqueue(IRepository transaction, PipelineDefinition definition, Map<String, ?> input) {
        requireNonNull(input, "input");
        return engine.enqueue(transaction, definition, JsonValues.canonicalMap(input, "Start input"));
    }

    private PipelineDefinition definition(Class<?> pipeline) {
        return config.definitions().pipeline(pipeline).orElseThrow(() ->
                new IllegalArgumentException(pipeline.getName() + " is not a registered @Pipeline; register("
                        + pipeline.getSimpleName() + ".class) or scan its package. Registered: "
                        + config.definitions().pipelineNames()));
    }

    private PipelineDefinition definition(String pipelineName) {
        return config.definitions().pipeline(pipelineName).orElseThrow(() ->
                new IllegalArgumentException("No pipeline named \"" + pipelineName + "\" is registered. Registered: "
                        + config.definitions().pipelineNames()));
    }

    private UUID start(PipelineDefinition definition, Map<String, ?> input) {
        requireNonNull(input, "input");
        return engine.start(definition, JsonValues.canonicalMap(input, "Start input"), null);
    }

    /**
     * Starts a pipeline unless one was already started with {@code idempotencyKey}: at most one pipeline is ever
     * created per key, and every caller, concurrent ones included, gets its id. Use the business key of the
     * request (an order number, a message id) so a retried request does not start a second run. The input of a
     * repeated call is not compared with the first one's.
     *
     * @param idempotencyKey 1 to 200 characters, not blank
     * @param pipeline a registered {@code @Pipeline} class
     * @param input the run's initial pipeline metadata (JSON-compatible)
     * @return the id of the pipeline started with this key, by this call or an earlier one
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the key is blank or too long, the pipeline is not registered, or the input
     *     is not JSON-compatible; nothing is saved
     * @throws IllegalStateException if the orchestrator is closed
     */
    public UUID startOnce(String idempotencyKey, Class<?> pipeline, Map<String, ?> input) {
        checkIdempotencyKey(idempotencyKey);
        requireNonNull(pipeline, "pipeline");
        return startOnce(idempotencyKey, definition(pipeline), input);
    }

    /**
     * As {@link #startOnce(String, Class, Map)}, naming the pipeline.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the key is blank or too long, no pipeline has that name, or the input is not
     *     JSON-compatible; nothing is saved
     */
    public UUID startOnce(String idempotencyKey, String pipelineName, Map<String, ?> input) {
        checkIdempotencyKey(idempotencyKey);
        requireNonNull(pipelineName, "pipelineName");
        return startOnce(idempotencyKey, definition(pipelineName), input);
    }

    private UUID startOnce(String idempotencyKey, PipelineDefinition definition, Map<String, ?> input) {
        requireNonNull(input, "input");
        Map<String, Object> canonical = JsonValues.canonicalMap(input, "Start input");
        // the common repeat is sequential: answer it with one read instead of a failed insert
        Optional<UUID> existing = engine.findByIdempotencyKey(idempotencyKey);
        return existing.orElseGet(() -> engine.start(definition, canonical, idempotencyKey));
    }

    private static void checkIdempotencyKey(String key) {
        requireNonNull(key, "idempotencyKey");
        if (key.isBlank() || key.length() > 200) {
            throw new IllegalArgumentException("idempotencyKey must be 1 to 200 non-blank characters, but was \""
                    + (key.length() > 40 ? key.substring(0, 40) + "..." : key) + "\" (" + key.length() + " chars)");
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
        for (int attempt = 0; attempt < CANCEL_ATTEMPTS; attempt++) {
            PipelineRecord pipeline = repository.get(Model.PIPELINE, pipelineId)
                    .orElseThrow(() -> new PipelineNotFoundException(pipelineId));
            if (pipeline.status().isTerminal()) {
                return false;
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            String why = ErrorSummary.reason(reason);
            List<StoredRecord> writes = new ArrayList<>(2);
            writes.add(pipeline.withStatus(Status.CANCELLED).withLastError("Cancelled: " + why)
                    .withClaim(null, null).withDueAt(null).withUpdatedAt(now));
            Optional<StepRecord> step = repository.get(Model.STEP, StepRecord.idOf(pipelineId,
                    pipeline.currentStep()));
            step.filter(s -> !s.status().isTerminal()).ifPresent(s ->
                    writes.add(s.withStatus(Status.CANCELLED).withLastError(why).withUpdatedAt(now)));
            try {
                repository.updateAll(writes);
                return true;
            } catch (VersionConflictException raced) {
                // a hook's transition or a claim got there first: read again and retry
            }
        }
        throw new io.prorch.repository.RepositoryException("Cancel of pipeline " + pipelineId + " lost "
                + CANCEL_ATTEMPTS + " races in a row with other writers; try again");
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
