package io.prorch.internal.engine;

import io.prorch.PassSummary;
import io.prorch.Status;
import io.prorch.StepFactory;
import io.prorch.internal.registry.Definitions;
import io.prorch.internal.registry.PipelineDefinition;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running machinery behind an {@code Orchestrator}: worker threads that call hooks, the committer that writes
 * transitions, the claim renewer, and the pass loop that claims due pipelines in batches.
 */
public final class Engine implements Committer.Listener, Driver.TurnEnder {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final IRepository repository;
    private final Clock clock;
    private final String owner;
    private final Duration claimDuration;
    private final int batchSize;
    private final ExecutorService workers;
    private final ScheduledExecutorService renewer;
    private final Committer committer;
    private final Driver driver;
    private final Tracker background = new Tracker(null);
    private final Set<Run> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /**
     * @param repository where pipelines are stored
     * @param definitions the known pipelines and steps
     * @param factory the user's step factory, or null for no-arg constructors
     * @param clock the clock for timestamps, due times and claims
     * @param owner this orchestrator's id
     * @param claimDuration how long a claim lasts
     * @param batchSize how many pipelines a pass claims at a time
     * @param workerThreads how many threads call hooks
     */
    public Engine(IRepository repository, Definitions definitions, StepFactory factory, Clock clock, String owner,
                  Duration claimDuration, int batchSize, int workerThreads) {
        this.repository = repository;
        this.clock = clock;
        this.owner = owner;
        this.claimDuration = claimDuration;
        this.batchSize = batchSize;
        this.workers = Executors.newFixedThreadPool(workerThreads, threads("prorch-worker"));
        this.renewer = Executors.newSingleThreadScheduledExecutor(threads("prorch-claim-renewer"));
        this.committer = new Committer(repository, this, "prorch-committer");
        this.driver = new Driver(definitions, new HookInvoker(factory), clock, owner, claimDuration, committer, this);
        // often enough to renew claims in time and to notice the shortest hook timeout within a quarter of it
        long period = definitions.steps().stream().map(s -> s.timeout().toMillis())
                .reduce(claimDuration.toMillis(), Math::min) / 4;
        renewer.scheduleWithFixedDelay(this::watch, 10, Math.max(10, Math.min(period, 1000)), TimeUnit.MILLISECONDS);
    }

    /**
     * Saves a new pipeline (claimed by this orchestrator) with its steps, and hands it to the workers at once.
     *
     * @return the new pipeline's id
     */
    public UUID start(PipelineDefinition definition, Map<String, Object> input, String idempotencyKey) {
        checkOpen();
        resyncClockIfStale();
        Instant now = Clocks.now(clock);
        Instant until = now.plus(claimDuration);
        UUID id = PipelineIds.next();
        List<String> names = definition.stepNames();
        StepRecord[] steps = new StepRecord[names.size()];
        List<StoredRecord> records = new ArrayList<>(names.size() + 1);
        for (int i = 0; i < names.size(); i++) {
            steps[i] = new StepRecord(StepRecord.idOf(id, i), id, names.get(i), i, Status.CREATED, Map.of(), 0, 0, now, now,
                    null);
            records.add(steps[i]);
        }
        PipelineRecord pipeline = new PipelineRecord(id, definition.name(), Status.PENDING, names, 0, input, 0, now,
                now, until, owner, until, null, idempotencyKey);
        records.add(pipeline);
        try {
            repository.saveAll(records);
        } catch (DuplicateRecordException duplicate) {
            if (idempotencyKey == null) {
                throw duplicate;
            }
            // another start with this key won: every caller gets that pipeline's id
            return repository.search(Model.PIPELINE, SearchFilter.all()
                            .where(SearchField.IDEMPOTENCY_KEY, idempotencyKey).limit(1))
                    .stream().findFirst().map(PipelineRecord::id).orElseThrow(() -> duplicate);
        }
        launch(new Run(pipeline, steps, background));
        return id;
    }

    /**
     * Saves a new pipeline with its steps through {@code via} (the caller's transaction), unclaimed and due now, and
     * does not run it: it becomes visible, and is run by the next pass of any orchestrator, when the caller commits.
     *
     * @return the new pipeline's id
     */
    public UUID enqueue(IRepository via, PipelineDefinition definition, Map<String, Object> input) {
        checkOpen();
        Instant now = Clocks.now(clock);
        UUID id = PipelineIds.next();
        List<String> names = definition.stepNames();
        List<StoredRecord> records = new ArrayList<>(names.size() + 1);
        for (int i = 0; i < names.size(); i++) {
            records.add(new StepRecord(StepRecord.idOf(id, i), id, names.get(i), i, Status.CREATED, Map.of(), 0, 0, now,
                    now, null));
        }
        records.add(new PipelineRecord(id, definition.name(), Status.PENDING, names, 0, input, 0, now, now, now, null,
                null, null, null));
        via.saveAll(records);
        return id;
    }

    /** @return the id of the pipeline started with {@code idempotencyKey}, if any */
    public java.util.Optional<UUID> findByIdempotencyKey(String idempotencyKey) {
        return repository.search(Model.PIPELINE, SearchFilter.all()
                .where(SearchField.IDEMPOTENCY_KEY, idempotencyKey).limit(1)).stream().findFirst()
                .map(PipelineRecord::id);
    }

    /** Runs one pass: claims every pipeline due at its start, in batches, drives each, and waits for them. */
    public PassSummary executePass() {
        checkOpen();
        resyncClockIfStale();
        long started = System.nanoTime();
        Instant passStart = Clocks.now(clock);
        Tracker tracker = new Tracker(passStart);
        try {
            while (!closing) {
                // at most two batches in memory at once, however many pipelines are due
                tracker.awaitBelow(batchSize + 1);
                List<PipelineRecord> claimed;
                try {
                    claimed = repository.claimDue(new ClaimRequest(owner, passStart,
                            Clocks.now(clock).plus(claimDuration), batchSize));
                } catch (RuntimeException e) {
                    tracker.problem(null, "claiming due pipelines failed: " + ErrorSummary.headline(e));
                    LOG.warn("prorch: claiming due pipelines failed", e);
                    break;
                }
                if (claimed.isEmpty()) {
                    break;
                }
                launchAll(claimed, tracker);
            }
            tracker.awaitBelow(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return tracker.summary(Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * One round of the polling loop: claims what is due now and hands it to the workers without waiting for the runs
     * to end, keeping at most two batches in flight. Unlike a pass, it never blocks on slow hooks, so a claim that
     * expires (its orchestrator died) is taken over by the next round, within one polling interval.
     *
     * @return how many pipelines it claimed
     */
    public int poll() {
        checkOpen();
        resyncClockIfStale();
        int launched = 0;
        while (!closing) {
            int room = 2 * batchSize - background.inFlight();
            if (room <= 0) {
                break;
            }
            Instant now = Clocks.now(clock);
            List<PipelineRecord> claimed;
            try {
                claimed = repository.claimDue(new ClaimRequest(owner, now, now.plus(claimDuration),
                        Math.min(room, batchSize)));
            } catch (RuntimeException e) {
                LOG.warn("prorch: claiming due pipelines failed; the next poll tries again: {}",
                        ErrorSummary.headline(e));
                break;
            }
            launchAll(claimed, background);
            launched += claimed.size();
            if (claimed.size() < Math.min(room, batchSize)) {
                break;
            }
        }
        return launched;
    }

    private void launchAll(List<PipelineRecord> claimed, Tracker tracker) {
        try {
            launchAll(claimed, loadSteps(claimed), tracker);
        } catch (RuntimeException batchError) {
            // one unreadable step row must not stop the batch: load pipeline by pipeline, skip only the bad ones
            for (PipelineRecord p : claimed) {
                Map<UUID, StepRecord> steps;
                try {
                    steps = loadSteps(List.of(p));
                } catch (RuntimeException e) {
                    tracker.begin();
                    tracker.problem(p.id(), "loading the steps of pipeline " + p.id() + " failed: "
                            + ErrorSummary.headline(e) + "; it is retried when its claim expires");
                    tracker.end(Outcome.SKIPPED, false);
                    continue;
                }
                launchAll(List.of(p), steps, tracker);
            }
        }
    }

    private void launchAll(List<PipelineRecord> claimed, Map<UUID, StepRecord> steps, Tracker tracker) {
        for (PipelineRecord p : claimed) {
            StepRecord[] array = new StepRecord[p.stepNames().size()];
            for (int i = p.currentStep(); i < array.length; i++) {
                array[i] = steps.get(StepRecord.idOf(p.id(), i));
            }
            launch(new Run(p, array, tracker));
        }
    }

    private Map<UUID, StepRecord> loadSteps(List<PipelineRecord> pipelines) {
        List<UUID> ids = new ArrayList<>();
        for (PipelineRecord p : pipelines) {
            for (int i = p.currentStep(); i < p.stepNames().size(); i++) {
                ids.add(StepRecord.idOf(p.id(), i));
            }
        }
        Map<UUID, StepRecord> found = new HashMap<>();
        for (StepRecord step : repository.getAll(Model.STEP, ids)) {
            found.put(step.id(), step);
        }
        for (PipelineRecord p : pipelines) {
            for (int i = p.currentStep(); i < p.stepNames().size(); i++) {
                UUID id = StepRecord.idOf(p.id(), i);
                if (!found.containsKey(id)) {
                    // a torn save in a store without atomic saveAll: recreate the missing step as never entered
                    found.put(id, repository.save(new StepRecord(id, p.id(), p.stepNames().get(i), i, Status.CREATED,
                            Map.of(), 0, 0, p.updatedAt(), p.updatedAt(), null)));
                }
            }
        }
        return found;
    }

    private void launch(Run run) {
        run.tracker().begin();
        active.add(run);
        execute(run);
    }

    private void execute(Run run) {
        try {
            workers.execute(() -> driver.drive(run));
        } catch (RejectedExecutionException e) {
            end(run, Outcome.SKIPPED, "orchestrator is shutting down; pipeline " + run.id()
                    + " resumes after its claim expires");
        }
    }

    /** Waits until every pipeline handed over by {@link #start} or {@link #poll} has ended its turn. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return background.awaitBelow(1, timeout);
    }

    @Override
    public void committed(Transition transition) {
        Run run = transition.run();
        if (transition.progress()) {
            run.advanced = true;
        }
        switch (transition.next()) {
            // closing: end the turn at this step boundary, releasing the claim, instead of driving on
            case DRIVE_ON -> {
                if (closing) {
                    committer.submit(driver.pause(run));
                } else {
                    execute(run);
                }
            }
            case END_TURN -> end(run, transition.outcome(), transition.problem());
            case NOTHING -> run.renewalQueued = false;
        }
    }

    @Override
    public void lost(Transition transition, Throwable error) {
        Run run = transition.run();
        if (transition.next() == Transition.Next.NOTHING) {
            run.renewalQueued = false;
            return;
        }
        if (error instanceof VersionConflictException && cancelledMeanwhile(run)) {
            end(run, Outcome.CANCELLED, null);
            return;
        }
        String why = error instanceof VersionConflictException
                ? "lost its claim: pipeline " + run.id() + " was changed by another orchestrator or a cancel"
                : "saving pipeline " + run.id() + " failed: " + ErrorSummary.headline(error)
                + "; its claim expires and it will be retried (its last hook may run again)";
        end(run, Outcome.SKIPPED, why);
    }

    private boolean cancelledMeanwhile(Run run) {
        try {
            return repository.get(Model.PIPELINE, run.id()).map(p -> p.status() == Status.CANCELLED).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void end(Run run, Outcome outcome, String problem) {
        if (problem != null) {
            LOG.warn("prorch: {}", problem);
            run.tracker().problem(run.id(), problem);
        }
        active.remove(run);
        run.tracker().end(outcome, run.advanced);
    }

    /**
     * Renews the claims of runs in flight once half of the claim is gone (a hook still running, or a run waiting for a
     * worker), and abandons hooks that ran past their timeout.
     */
    private void watch() {
        try {
            Instant now = Clocks.now(clock);
            Instant threshold = now.plus(claimDuration.dividedBy(2));
            for (Run run : active) {
                HookCall call = run.hookCall;
                if (call != null && call.abandonIfOverdue(now)) {
                    LOG.warn("prorch: a hook of pipeline {} ran past its timeout; thread {} was interrupted",
                            run.id(), call.threadName());
                    committer.submit(driver.timedOut(run, call));
                    continue;
                }
                PipelineRecord p = run.pipeline();
                if (!run.renewalQueued && p.claimExpiresAt() != null && p.claimExpiresAt().isBefore(threshold)) {
                    run.renewalQueued = true;
                    committer.submit(Transition.renewal(run, driver.renewal()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("prorch: watching hooks in flight failed", e);
        }
    }

    /** Re-reads the store's clock on the caller's thread (never the watchdog's, which must not wait for I/O). */
    private void resyncClockIfStale() {
        if (clock instanceof StoreClock storeClock) {
            storeClock.resyncIfOlderThan(StoreClock.RESYNC_INTERVAL);
        }
    }

    private void checkOpen() {
        if (closing) {
            throw new IllegalStateException("This orchestrator is closed; create a new one");
        }
    }

    /** @return true once {@link #close} was called */
    public boolean isClosing() {
        return closing;
    }

    /**
     * Stops taking work, waits up to {@code timeout} for runs in flight to end their turn (their claims are
     * released by their last write), then stops the threads.
     */
    public void close(Duration timeout) {
        closing = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!active.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            renewer.shutdownNow();
            committer.stop(Math.max(100, (deadline - System.nanoTime()) / 1_000_000));
            workers.shutdownNow();
            workers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!active.isEmpty()) {
            LOG.warn("prorch: closed with {} pipeline(s) still running; their claims expire and they resume elsewhere",
                    active.size());
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
