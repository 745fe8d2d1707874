package io.prorch.internal.engine;

import io.prorch.Status;
import io.prorch.internal.registry.Definitions;
import io.prorch.repository.IRepository;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RecordRejectedException;
import io.prorch.repository.Model;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what the {@link StepMachine} decides, one run at a time: on a worker, it asks the machine for the run's
 * plan, calls the hook the plan names, and hands the resulting move to the {@link Committer}; once the committer
 * reports the move committed, the run takes its next turn on a worker, or its turn ends. This is the only class that
 * changes a {@link Run}.
 */
final class RunLoop implements Committer.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(RunLoop.class);
    private static final int MAX_TRACKED = 100_000;

    private final StepMachine machine;
    private final HookInvoker invoker;
    private final IRepository repository;
    private final Clock clock;
    private final String owner;
    private final ExecutorService workers;
    private final Committer committer;
    private final Map<UUID, Run> active = new ConcurrentHashMap<>();
    private final Listeners listeners;
    private final Signals signals;
    /** Hook executions in a row whose results could not be saved, by pipeline: bounded by the retry policy. */
    private final Map<UUID, RunState.Unsaved> unsaved = new ConcurrentHashMap<>();
    private volatile boolean closing;
    private Family family;
    private Definitions definitions;

    RunLoop(StepMachine machine, HookInvoker invoker, IRepository repository, Clock clock, String owner,
            ExecutorService workers, Listeners listeners, Signals signals) {
        this.listeners = listeners;
        this.signals = signals;
        this.machine = machine;
        this.invoker = invoker;
        this.repository = repository;
        this.clock = clock;
        this.owner = owner;
        this.workers = workers;
        this.committer = new Committer(repository, this, listeners, "prorch-committer",
                new History(owner));
    }

    /** Sets the child pipelines' machinery, before the first run. */
    void family(Family family, Definitions definitions) {
        this.family = family;
        this.definitions = definitions;
    }

    /** Counts {@code run} in its tracker and hands it to a worker. */
    void launch(Run run) {
        run.tracker().begin();
        active.put(run.id(), run);
        execute(run);
    }

    /**
     * A pipeline this orchestrator claimed while a run of it is still in flight here (its claim ran out before a
     * renewal could be written): the run goes on under the new claim instead of a second run fencing the first.
     *
     * @return true if a run of it was in flight and took the claim over
     */
    boolean adopt(PipelineRecord claimed) {
        Run run = active.get(claimed.id());
        // a compensation begun elsewhere (a cancel from outside) is not the run's to go on with: its moves are stale
        return run != null && !compensatingElsewhere(run, claimed) && run.adopt(claimed);
    }

    /** @return true if {@code stored} is being compensated and the run did not start that compensation itself */
    private static boolean compensatingElsewhere(Run run, PipelineRecord stored) {
        return Compensations.of(stored) != null && Compensations.of(run.pipeline()) == null;
    }

    /** @return the runs in flight, for the watchdog */
    Collection<Run> active() {
        return active.values();
    }

    private void execute(Run run) {
        try {
            workers.execute(() -> takeTurn(run));
        } catch (RejectedExecutionException e) {
            end(run, Outcome.SKIPPED, "orchestrator is shutting down; pipeline " + run.id()
                    + " resumes after its claim expires");
        }
    }

    /** On a worker: one step of the run, as its plan says; never throws. */
    private void takeTurn(Run run) {
        try {
            if (run.currentStep() == null && !readCurrentStep(run)) {
                return;
            }
            Instant now = Clocks.now(clock);
            Plan plan = machine.plan(run.state(unsaved.getOrDefault(run.id(), RunState.Unsaved.NONE)), now);
            if (plan instanceof Plan.Stop stop) {
                end(run, Outcome.SKIPPED, stop.problem());
            } else if (plan instanceof Plan.Write write) {
                committer.submit(run, write.move());
            } else {
                callHook(run, (Plan.CallHook) plan);
            }
        } catch (RuntimeException | Error e) {
            end(run, Outcome.SKIPPED, "internal error driving pipeline " + run.id() + ": "
                    + ErrorSummary.headline(e) + "; its claim expires and it will be retried");
        }
    }

    /**
     * Reads the record of a step the run moved back to (to compensate it): a run holds only the steps from the one it
     * was claimed at on.
     *
     * @return false if it could not be read: the turn ended, and the pipeline is retried when its claim expires
     */
    private boolean readCurrentStep(Run run) {
        int position = run.pipeline().currentStep();
        StepRecord step = repository.get(Model.STEP, StepRecord.idOf(run.id(), position)).orElse(null);
        if (step == null) {
            end(run, Outcome.SKIPPED, "pipeline " + run.id() + " has no step record at position " + position
                    + " (deleted by hand?); it is retried when its claim expires");
            return false;
        }
        run.read(step);
        return true;
    }

    private void callHook(Run run, Plan.CallHook call) {
        if (call.hook() == Hook.ON_CONTINUE) {
            run.continuing();
        }
        RunState before = run.state();
        Instant started = Clocks.now(clock);
        HookCall hookCall = new HookCall(Thread.currentThread(), started.plus(call.step().timeout()), call.hook());
        run.hookCall(hookCall);
        long startNanos = System.nanoTime();
        HookResult result;
        Mdc.enter(before);
        try {
            HookContext context = new HookContext(before.pipeline(), before.step(), started, signals::inbox, family,
                    definitions);
            result = call.hook() == Hook.ON_CONTINUE && waitsForChildren(context) ? context.result()
                    : invoker.invoke(call.step(), call.hook(), context);
        } finally {
            Mdc.leave();
        }
        run.hookCall(null);
        boolean counts = hookCall.finish();
        if (listeners.any() && counts) {
            listeners.hook(before.pipeline().name(), before.step().name(), call.hook(),
                    Duration.ofNanos(System.nanoTime() - startNanos), result.error() != null ? "threw"
                            : result.decision() == Decision.NONE ? "waiting" : "decided");
        }
        if (counts) {
            run.savingHookResult(true);
            committer.submit(run, machine.afterHook(before, call.step(), call.hook(), result, Clocks.now(clock)));
        } else {
            // the watchdog abandoned this call and submitted its failed attempt: drop its interrupt and result
            Thread.interrupted();
        }
    }

    /** @return true if the step waits for children and they are not there yet: it waits again, without its hook */
    private boolean waitsForChildren(HookContext context) {
        try {
            return family.holdsBack(context);
        } catch (RuntimeException e) {
            // the children could not be read: the hook runs and reads them itself (its attempt fails if it can't)
            LOG.debug("prorch: reading the children of pipeline {} failed", context.pipelineId(), e);
            return false;
        }
    }

    /** From the watchdog: the hook call ran past its timeout and was abandoned; its attempt fails. */
    void timedOut(Run run, HookCall call) {
        if (listeners.any()) {
            listeners.hook(run.pipeline().name(), run.currentStep().name(), call.hook(), call.ranFor(),
                    "timed_out");
        }
        run.savingHookResult(true);
        committer.submit(run, machine.timedOut(run.state(), call.hook(), call.threadName(), Clocks.now(clock)));
    }

    /** From the watchdog: extends the run's claim, unless a renewal is already on its way. */
    void renew(Run run) {
        if (!run.renewalQueued()) {
            run.renewalQueued(true);
            committer.submit(run, machine.renewal(Clocks.now(clock)));
        }
    }

    @Override
    public void committed(Run run, List<Move> moves, List<StoredRecord> stored) {
        if (listeners.any()) {
            tellCommitted(run, moves, stored);
        }
        run.committed(stored);
        run.savingHookResult(false);
        unsaved.remove(run.id());
        for (Move move : moves) {
            if (move.progress()) {
                run.advanced();
            }
            switch (move.next()) {
                // closing: end the turn at this step boundary, releasing the claim, instead of driving on
                case DRIVE_ON -> {
                    if (closing) {
                        committer.submit(run, machine.pause(run.state(), Clocks.now(clock)));
                    } else {
                        execute(run);
                    }
                }
                case END_TURN -> {
                    if (Family.concerns(run.pipeline())) {
                        endAfterTellingFamily(run, move);
                    } else if (move.outcome() == Outcome.WAITING && run.currentStep() != null
                            && Awaiting.any(run.currentStep().metadata())) {
                        endAfterLookingForSignals(run, move);
                    } else {
                        endTurn(run, move);
                    }
                }
                case NOTHING -> run.renewalQueued(false);
            }
        }
    }

    /**
     * A signal sent while the step's hook ran found the pipeline claimed and did not wake it: look now, on a worker
     * (not the committer), and end the turn after, so that a pass is over only once its pipelines are woken.
     */
    private void endAfterLookingForSignals(Run run, Move move) {
        try {
            java.util.Set<String> names = Awaiting.names(run.currentStep().metadata());
            workers.execute(() -> {
                signals.wakeIfPending(run.id(), names);
                endTurn(run, move);
            });
        } catch (RejectedExecutionException closing) {
            // shutting down: the pipeline wakes at its deadline, or through the next orchestrator's poll
            end(run, move.outcome(), move.problem());
        }
    }

    /**
     * A pipeline ended: on a worker, a child wakes its parent and a cancelled pipeline cancels its children, and the
     * turn ends after, so that a pass is over only once the parents its children woke are due.
     */
    private void endAfterTellingFamily(Run run, Move move) {
        PipelineRecord ended = run.pipeline();
        try {
            workers.execute(() -> {
                family.ended(ended);
                endTurn(run, move);
            });
        } catch (RejectedExecutionException closing) {
            // shutting down: a waiting parent looks at its children at least every Family.RECHECK
            end(run, move.outcome(), move.problem());
        }
    }

    /**
     * Ends the run's turn after its last move committed; but if this orchestrator claimed the pipeline again after
     * that commit (it was woken and the poller claimed it while the turn was ending) and the run took that claim, the
     * run takes another turn instead of leaving the claim to expire.
     */
    private void endTurn(Run run, Move move) {
        if (closing || run.endUnlessAdopted()) {
            end(run, move.outcome(), move.problem());
        } else {
            execute(run);
        }
    }

    private void tellCommitted(Run run, List<Move> moves, List<StoredRecord> stored) {
        listeners.committed(run.pipeline(), run::step, stored);
        for (Move move : moves) {
            if (move.outcome() == Outcome.SKIPPED && move.problem() != null) {
                stored.stream().filter(PipelineRecord.class::isInstance).map(PipelineRecord.class::cast).findFirst()
                        .ifPresent(p -> listeners.setAside(p, move.problem()));
            }
        }
    }

    @Override
    public void lost(Run run, List<Move> moves, Throwable error) {
        List<Move> turn = moves.stream().filter(m -> m.next() != Move.Next.NOTHING).toList();
        if (turn.size() < moves.size()) {
            run.renewalQueued(false);
        }
        if (turn.isEmpty()) {
            return;
        }
        if (error instanceof VersionConflictException) {
            conflicted(run, turn);
        } else if (error instanceof RecordRejectedException && run.mayCountRejection()) {
            // the store refused the data itself: writing it again would fail again, so the execution counts
            committer.submit(run, machine.rejected(run.state(), error, Clocks.now(clock)));
        } else {
            if (run.savingHookResult()) {
                if (unsaved.size() >= MAX_TRACKED) {
                    unsaved.clear();
                }
                unsaved.merge(run.id(), new RunState.Unsaved(1, ErrorSummary.headline(error)),
                        (was, now) -> new RunState.Unsaved(was.count() + 1, now.lastError()));
            }
            end(run, Outcome.SKIPPED, "saving pipeline " + run.id() + " failed: " + ErrorSummary.headline(error)
                    + "; its claim expires and it will be retried (its last hook may run again)");
        }
    }

    /**
     * The pipeline changed under the run. If this orchestrator itself claimed it again meanwhile (its claim ran out
     * before a renewal got through), the run goes on against the new version; otherwise its turn ends, saying who
     * changed it.
     */
    private void conflicted(Run run, List<Move> moves) {
        PipelineRecord stored;
        try {
            stored = repository.get(Model.PIPELINE, run.id()).orElse(null);
        } catch (RuntimeException e) {
            end(run, Outcome.SKIPPED, "saving pipeline " + run.id() + " failed on a version conflict, and reading it"
                    + " again failed too: " + ErrorSummary.headline(e) + "; its claim expires and it is retried");
            return;
        }
        if (stored != null && (stored.status() == Status.CANCELLED || compensatingElsewhere(run, stored))) {
            // cancelled from outside: ended, or compensating after the cancel (the run's moves are stale)
            end(run, Outcome.CANCELLED, null);
        } else if (stored != null && stored.status() == Status.PENDING && owner.equals(stored.claimOwner())
                && stored.isClaimedAt(Clocks.now(clock)) && run.mayRetryOnOwnClaim()) {
            run.claimedAgain(stored);
            moves.forEach(move -> committer.submit(run, move));
        } else {
            end(run, Outcome.SKIPPED, "lost its claim: pipeline " + run.id() + " was changed elsewhere ("
                    + (stored == null ? "deleted" : stored.status().name().toLowerCase(java.util.Locale.ROOT)
                    + (stored.claimOwner() == null ? ", unclaimed" : ", claimed by " + stored.claimOwner()))
                    + "); its last hook's result was not saved");
        }
    }

    private void end(Run run, Outcome outcome, String problem) {
        run.markEnded();
        if (problem != null) {
            LOG.warn("prorch: {}", problem);
            run.tracker().problem(run.id(), problem);
        }
        active.remove(run.id(), run);
        run.tracker().end(outcome, run.hasAdvanced());
    }

    /** Stops driving runs on past their current step: each one's next commit releases its claim instead. */
    void closing() {
        closing = true;
    }

    boolean isClosing() {
        return closing;
    }

    /** Writes what is queued and stops the committer, waiting at most {@code millis}. */
    void stopCommitter(long millis) throws InterruptedException {
        committer.stop(millis);
    }
}
