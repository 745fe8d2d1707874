package io.prorch.internal.engine;

import io.prorch.Status;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private static final int MAX_SET_ASIDE_TRACKED = 100_000;

    private final StepMachine machine;
    private final HookInvoker invoker;
    private final IRepository repository;
    private final Clock clock;
    private final ExecutorService workers;
    private final Committer committer;
    private final Set<Run> active = ConcurrentHashMap.newKeySet();
    /** Since when each pipeline this orchestrator set aside has been set aside, for the growing delay. */
    private final Map<UUID, Instant> setAside = new ConcurrentHashMap<>();
    private volatile boolean closing;

    RunLoop(StepMachine machine, HookInvoker invoker, IRepository repository, Clock clock, ExecutorService workers) {
        this.machine = machine;
        this.invoker = invoker;
        this.repository = repository;
        this.clock = clock;
        this.workers = workers;
        this.committer = new Committer(repository, this, "prorch-committer");
    }

    /** Counts {@code run} in its tracker and hands it to a worker. */
    void launch(Run run) {
        run.tracker().begin();
        active.add(run);
        execute(run);
    }

    /** @return the runs in flight, for the watchdog */
    Set<Run> active() {
        return active;
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
            Instant now = Clocks.now(clock);
            Plan plan = machine.plan(run.state(setAside.get(run.id())), now);
            if (plan instanceof Plan.Stop stop) {
                end(run, Outcome.SKIPPED, stop.problem());
            } else if (plan instanceof Plan.Write write) {
                committer.submit(run, write.move());
            } else if (plan instanceof Plan.SetAside aside) {
                if (setAside.size() >= MAX_SET_ASIDE_TRACKED) {
                    setAside.clear();   // a bound on memory: their delays start small again
                }
                setAside.putIfAbsent(run.id(), now);
                committer.submit(run, aside.move());
            } else {
                callHook(run, (Plan.CallHook) plan);
            }
        } catch (RuntimeException | Error e) {
            end(run, Outcome.SKIPPED, "internal error driving pipeline " + run.id() + ": "
                    + ErrorSummary.headline(e) + "; its claim expires and it will be retried");
        }
    }

    private void callHook(Run run, Plan.CallHook call) {
        if (call.hook() == Hook.ON_CONTINUE) {
            run.continuing();
        }
        RunState before = run.state();
        Instant started = Clocks.now(clock);
        HookCall hookCall = new HookCall(Thread.currentThread(), started.plus(call.step().timeout()), call.hook());
        run.hookCall(hookCall);
        HookResult result = invoker.invoke(call.step(), call.hook(),
                new HookContext(before.pipeline(), before.step(), started));
        run.hookCall(null);
        if (hookCall.finish()) {
            committer.submit(run, machine.afterHook(before, call.step(), call.hook(), result, Clocks.now(clock)));
        } else {
            // the watchdog abandoned this call and submitted its failed attempt: drop its interrupt and result
            Thread.interrupted();
        }
    }

    /** From the watchdog: the hook call ran past its timeout and was abandoned; its attempt fails. */
    void timedOut(Run run, HookCall call) {
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
        run.committed(stored);
        for (Move move : moves) {
            if (move.progress()) {
                run.advanced();
                setAside.remove(run.id());
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
                case END_TURN -> end(run, move.outcome(), move.problem());
                case NOTHING -> run.renewalQueued(false);
            }
        }
    }

    @Override
    public void lost(Run run, List<Move> moves, Throwable error) {
        for (Move move : moves) {
            if (move.next() == Move.Next.NOTHING) {
                run.renewalQueued(false);
            } else if (error instanceof VersionConflictException && cancelledMeanwhile(run)) {
                end(run, Outcome.CANCELLED, null);
            } else {
                end(run, Outcome.SKIPPED, error instanceof VersionConflictException
                        ? "lost its claim: pipeline " + run.id() + " was changed by another orchestrator or a cancel"
                        : "saving pipeline " + run.id() + " failed: " + ErrorSummary.headline(error)
                        + "; its claim expires and it will be retried (its last hook may run again)");
            }
        }
    }

    private boolean cancelledMeanwhile(Run run) {
        try {
            return repository.get(Model.PIPELINE, run.id()).map(p -> p.status() == Status.CANCELLED).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void end(Run run, Outcome outcome, String problem) {
        if (problem != null) {
            LOG.warn("prorch: {}", problem);
            run.tracker().problem(run.id(), problem);
        }
        active.remove(run);
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
