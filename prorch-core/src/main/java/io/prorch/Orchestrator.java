package io.prorch;

import static java.util.Objects.requireNonNull;

import io.prorch.internal.config.Settings;
import io.prorch.internal.engine.Engine;
import io.prorch.internal.engine.StoreClock;
import io.prorch.internal.engine.Views;
import io.prorch.internal.registry.Definitions;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
    private final Definitions definitions;
    private final Poller poller;

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
        this.definitions = config.definitions().copy();
        this.engine = new Engine(config, definitions, clock);
        this.poller = new Poller(engine);
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

    /** @return every registered pipeline definition with its step names, sorted by name (never empty) */
    public List<PipelineDefinitionView> definitions() {
        return config.definitions().pipelines().stream()
                .map(d -> new PipelineDefinitionView(d.name(), d.type().getName(), d.stepNames()))
                .sorted(Comparator.comparing(PipelineDefinitionView::name))
                .toList();
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
        return new Starter(engine, definitions.pipeline(pipeline).orElseThrow(() ->
                new IllegalArgumentException(pipeline.getName() + " is not a registered @Pipeline; register("
                        + pipeline.getSimpleName() + ".class) or scan its package. Registered: "
                        + definitions.pipelineNames())));
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
        return new Starter(engine, definitions.pipeline(pipelineName).orElseThrow(() ->
                new IllegalArgumentException("No pipeline named \"" + pipelineName + "\" is registered. Registered: "
                        + definitions.pipelineNames())));
    }

    /**
     * Adds a pipeline defined in code or data while this orchestrator runs (see {@link PipelineDefinition}); new
     * starts by its name use the highest version, runs in flight keep theirs. Only this orchestrator knows it: define
     * it in every orchestrator sharing the store, and again after a restart. Its steps' timeouts are watched at the
     * pace set when the orchestrator was created (the shortest of claimDuration and the configured timeouts).
     *
     * @throws NullPointerException if {@code definition} is null
     * @throws ConfigurationException if a {@code @Pipeline} class has its name or its version is already defined
     */
    public void define(PipelineDefinition definition) {
        requireNonNull(definition, "definition");
        List<String> problems = definitions.define(definition, config.retryPolicy(), config.hookTimeout());
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
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
        return Queries.awaitEnd(() -> find(pipelineId).orElseThrow(() -> new PipelineNotFoundException(pipelineId)),
                timeout);
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

    /** @return how many pipelines there are, by status and by name (see {@link PipelineCounts#estimated()}) */
    public PipelineCounts counts() {
        return repository.countPipelines();
    }

    /**
     * Cancels a pipeline from outside: it and its current step become {@code cancelled} with {@code reason}, and no
     * further hook of it runs. A hook already running elsewhere may finish, but its result is not saved. If finished
     * steps have {@link OnCompensate}, those run first (the pipeline ends {@code compensated}); a pipeline being
     * compensated stops compensating. Its running child pipelines are cancelled too.
     *
     * @param pipelineId the pipeline's id
     * @param reason why, recorded on the pipeline, the step and in the history
     * @return true if this call cancelled it; false if it had already ended (finished, failed or cancelled)
     * @throws NullPointerException if an argument is null
     * @throws PipelineNotFoundException if no pipeline has this id
     * @throws io.prorch.repository.RepositoryException if the store failed or the pipeline kept changing
     */
    public boolean cancel(UUID pipelineId, String reason) {
        return cancel(pipelineId, reason, null);
    }

    /**
     * Cancels a pipeline as {@link #cancel(UUID, String)} does, recording who did it in the history.
     *
     * @param actor who cancels it (at most 200 characters are kept), or null
     * @throws NullPointerException if {@code pipelineId} or {@code reason} is null
     */
    public boolean cancel(UUID pipelineId, String reason, String actor) {
        requireNonNull(pipelineId, "pipelineId");
        requireNonNull(reason, "reason");
        return engine.cancel(pipelineId, reason, actor);
    }

    /**
     * @param actor who acts (at most 200 characters are kept), or null
     * @param reason why (at most 1,000 characters are kept), or null
     * @return the actions of an operator, recorded in the history with {@code actor} and {@code reason}
     */
    public Operator operator(String actor, String reason) {
        return new Operator(engine, actor, reason);
    }

    /** As {@link Operator#retry}, recorded without who or why. */
    public void retry(UUID pipelineId, long seenVersion) {
        operator(null, null).retry(pipelineId, seenVersion);
    }

    /** As {@link Operator#resume}, recorded without who or why. */
    public void resume(UUID pipelineId, long seenVersion) {
        operator(null, null).resume(pipelineId, seenVersion);
    }

    /** As {@link Operator#restartFrom}, recorded without who or why. */
    public void restartFrom(UUID pipelineId, String stepName, long seenVersion) {
        operator(null, null).restartFrom(pipelineId, stepName, seenVersion);
    }

    /**
     * Purges one batch (500) of the ended pipelines older than {@link OrchestratorConfig#retention()}, with everything
     * of theirs, now (passes and polls do so on their own: docs/operations.md).
     *
     * @return how many pipelines were purged
     * @throws IllegalStateException if retention is off
     * @throws UnsupportedOperationException if the store does not implement {@code IRepository.purge}
     */
    public int purgeEnded() {
        return engine.purgeEnded();
    }

    /**
     * A pipeline's history, oldest first (at most 10,000 entries): its start (read from the pipeline's own row, so it
     * names no orchestrator), every step transition (failed attempts with their error), its end, and operators'
     * actions.
     *
     * @return the entries; empty if no pipeline has this id (or its history was purged)
     * @throws NullPointerException if {@code pipelineId} is null
     * @throws io.prorch.repository.RepositoryException if the store failed
     */
    public List<HistoryEntry> history(UUID pipelineId) {
        return Queries.history(repository, requireNonNull(pipelineId, "pipelineId"));
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
        poller.start(interval);
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
        poller.shutdown();
        engine.close(config.shutdownTimeout());
        poller.shutdownNow();
    }
}
