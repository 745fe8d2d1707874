package io.prorch.test;

import static java.util.Objects.requireNonNull;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PassSummary;
import io.prorch.PipelineNotFoundException;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * An {@link Orchestrator} for tests, on a {@link SettableClock} and (by default) an {@link InMemoryRepository},
 * that drives pipelines to rest without sleeping: {@link #runUntilIdle()} runs passes until one claims nothing;
 * {@link #runUntilIdle(boolean) runUntilIdle(true)} and {@link #runUntilDone(UUID)} also move the clock to the next
 * due time, so {@code continueAfter} delays and retry backoffs pass in milliseconds.
 *
 * <pre>{@code
 * try (TestOrchestrator prorch = TestOrchestrator.create(config -> config.register(BackupAutomationPipeline.class))) {
 *     UUID id = prorch.start(BackupAutomationPipeline.class, Map.of("database", "orders"));
 *     prorch.runUntilDone(id);
 *     assertThat(prorch.find(id)).isFinished().step("BackupTransfer").hasAttempts(2);
 * }
 * }</pre>
 *
 * <p>Drive it from one thread (the test's); the orchestrator's own worker threads still run the hooks.
 */
public final class TestOrchestrator implements AutoCloseable {
    /** How many passes (and clock moves) a run may take before it gives up; see {@link #maxPasses(int)}. */
    public static final int DEFAULT_MAX_PASSES = 1000;
    /** How long a run waits for hooks already running in worker threads (after a {@code start}) to end their turn. */
    public static final Duration WORKER_TIMEOUT = Duration.ofSeconds(30);

    private static final int PENDING_SHOWN = 5;

    private final Orchestrator orchestrator;
    private final SettableClock clock;
    private int maxPasses = DEFAULT_MAX_PASSES;

    /**
     * Wraps an orchestrator built with {@code .clock(clock)}, for tests that configure it themselves (a JDBC store,
     * listeners). {@link #close()} closes it.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code orchestrator} does not run on {@code clock}
     */
    public TestOrchestrator(Orchestrator orchestrator, SettableClock clock) {
        this.orchestrator = requireNonNull(orchestrator, "orchestrator");
        this.clock = requireNonNull(clock, "clock");
        OrchestratorConfig config = orchestrator.config();
        if (config.clock() != clock || config.storeClock()) {
            throw new IllegalArgumentException("The orchestrator must run on the given SettableClock, but its config"
                    + " has clock " + config.clock() + (config.storeClock() ? " and storeClock(true)" : "")
                    + "; build it with OrchestratorConfig.builder().clock(clock), without storeClock(true)");
        }
    }

    /**
     * Creates a test orchestrator: an {@link InMemoryRepository} and a new {@link SettableClock} are set first, then
     * {@code settings} (which registers the pipelines, and may replace the repository or set anything else except
     * the clock).
     *
     * <pre>{@code TestOrchestrator.create(config -> config.register(MyPipeline.class).retryPolicy(RetryPolicy.none()))}</pre>
     *
     * @throws NullPointerException if {@code settings} is null
     * @throws io.prorch.ConfigurationException if the configuration is invalid
     * @throws IllegalArgumentException if {@code settings} replaced the clock
     */
    public static TestOrchestrator create(Consumer<OrchestratorConfig.Builder> settings) {
        requireNonNull(settings, "settings");
        SettableClock clock = new SettableClock();
        OrchestratorConfig.Builder builder = OrchestratorConfig.builder()
                .repository(InMemoryRepository.create())
                .clock(clock);
        settings.accept(builder);
        return new TestOrchestrator(new Orchestrator(builder.build()), clock);
    }

    /**
     * Sets how many passes (each after a clock move, when the clock is advanced) a run may take before it fails.
     *
     * @return this
     * @throws IllegalArgumentException if {@code passes} is not positive
     */
    public TestOrchestrator maxPasses(int passes) {
        if (passes <= 0) {
            throw new IllegalArgumentException("maxPasses must be positive, but was " + passes);
        }
        this.maxPasses = passes;
        return this;
    }

    /** @return the orchestrator, for everything this class does not wrap */
    public Orchestrator orchestrator() {
        return orchestrator;
    }

    /** @return the clock pipelines run on; {@code clock().advance(d)} makes what waits for {@code d} due */
    public SettableClock clock() {
        return clock;
    }

    /** @return the store the orchestrator uses */
    public IRepository repository() {
        return orchestrator.config().repository();
    }

    /**
     * Starts a pipeline; its first step runs in a worker thread, which the next run waits for.
     *
     * @see Orchestrator#start(Class, Map)
     */
    public UUID start(Class<?> pipeline, Map<String, ?> input) {
        return orchestrator.start(pipeline, input);
    }

    /** @see Orchestrator#start(Class) */
    public UUID start(Class<?> pipeline) {
        return orchestrator.start(pipeline);
    }

    /** @see Orchestrator#find(UUID) */
    public Optional<PipelineView> find(UUID pipelineId) {
        return orchestrator.find(pipelineId);
    }

    /**
     * Waits for the hooks started by {@code start}, then runs passes until one claims nothing, without moving the
     * clock: everything due now is driven as far as it goes, and what waits for time or for the outside world stays
     * pending.
     *
     * @return the passes that claimed something
     * @throws IllegalStateException if pipelines are still due after {@link #maxPasses(int)} passes, naming them
     */
    public List<PassSummary> runUntilIdle() {
        return runUntilIdle(false);
    }

    /**
     * As {@link #runUntilIdle()}; with {@code advanceClock}, whenever a pass claims nothing the clock moves to the
     * next time a pending pipeline is due, until no pipeline is pending.
     *
     * @param advanceClock whether to move the clock to the next due time
     * @return the passes that claimed something
     * @throws IllegalStateException if pipelines are still pending after {@link #maxPasses(int)} passes (a pipeline
     *     that never rests: a step that never decides, or retries without end), naming them
     */
    public List<PassSummary> runUntilIdle(boolean advanceClock) {
        return drive(advanceClock, null);
    }

    /**
     * Runs passes, moving the clock to each next due time, until the pipeline {@code pipelineId} has ended.
     *
     * @return the ended pipeline (finished, failed or cancelled)
     * @throws NullPointerException if {@code pipelineId} is null
     * @throws PipelineNotFoundException if no pipeline has this id
     * @throws IllegalStateException if it is still pending after {@link #maxPasses(int)} passes, naming it
     */
    public PipelineView runUntilDone(UUID pipelineId) {
        requireNonNull(pipelineId, "pipelineId");
        awaitWorkers();
        view(pipelineId);
        drive(true, pipelineId);
        return view(pipelineId);
    }

    private List<PassSummary> drive(boolean advanceClock, UUID target) {
        List<PassSummary> passes = new ArrayList<>();
        for (int pass = 0; pass < maxPasses; pass++) {
            awaitWorkers();
            if (target != null && view(target).status().isTerminal()) {
                return passes;
            }
            PassSummary summary = orchestrator.executePipelines();
            if (summary.claimed() > 0) {
                passes.add(summary);
                continue;
            }
            if (!advanceClock) {
                return passes;
            }
            Optional<Instant> next = nextDueTime();
            if (next.isEmpty()) {
                return passes;
            }
            if (next.get().isAfter(clock.instant())) {
                clock.set(next.get());
            }
        }
        awaitWorkers();
        if (target != null && view(target).status().isTerminal()) {
            return passes;
        }
        throw new IllegalStateException(boundMessage(advanceClock, target));
    }

    private Optional<Instant> nextDueTime() {
        return pending(1).stream().map(PipelineRecord::dueAt).filter(due -> due != null).findFirst();
    }

    private List<PipelineRecord> pending(int limit) {
        return repository().search(Model.PIPELINE,
                SearchFilter.all().where(SearchField.STATUS, Status.PENDING).limit(limit));
    }

    private String boundMessage(boolean advanceClock, UUID target) {
        List<String> stuck = target != null ? List.of(Describe.pipeline(view(target)))
                : pending(PENDING_SHOWN).stream().map(p -> Describe.pipeline(view(p.id()))).toList();
        return (target != null ? "runUntilDone(" + target + ")" : "runUntilIdle(" + advanceClock + ")")
                + " gave up after " + maxPasses + " passes (clock now " + clock.instant() + "): still pending, is it"
                + " a pipeline that never rests (a step that never decides, or keeps failing)? Raise maxPasses(n)"
                + " if it just needs more passes.\n  - "
                + String.join("\n  - ", stuck);
    }

    private PipelineView view(UUID pipelineId) {
        return orchestrator.find(pipelineId).orElseThrow(() -> new PipelineNotFoundException(pipelineId));
    }

    private void awaitWorkers() {
        try {
            if (!orchestrator.awaitIdle(WORKER_TIMEOUT)) {
                throw new IllegalStateException("Hooks were still running in worker threads after " + WORKER_TIMEOUT
                        + "; does a hook hang? Pending: " + pending(PENDING_SHOWN).stream()
                        .map(p -> p.name() + " " + p.id()).collect(Collectors.joining(", ")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the orchestrator's workers", e);
        }
    }

    /** Closes the orchestrator. */
    @Override
    public void close() {
        orchestrator.close();
    }
}
