package io.prorch.internal.engine;

import io.prorch.Status;
import io.prorch.internal.engine.HookInvoker.Hook;
import io.prorch.internal.engine.Transition.Next;
import io.prorch.internal.engine.Transition.StepChange;
import io.prorch.internal.registry.Definitions;
import io.prorch.internal.registry.StepDefinition;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Drives one run one hook at a time: checks the claim and the names, calls the hook the step's status calls for,
 * and hands the resulting transition to the committer. The state machine of a step lives here:
 * {@code created -> onStart -> pending -> onContinue ... -> finished | failed | cancelled}.
 */
final class Driver {
    private final Definitions definitions;
    private final HookInvoker invoker;
    private final Clock clock;
    private final String owner;
    private final Duration claimDuration;
    private final Committer committer;
    private final TurnEnder turnEnder;

    /** Ends a run's turn without a write (the claim simply expires). */
    interface TurnEnder {
        void end(Run run, Outcome outcome, String problem);
    }

    Driver(Definitions definitions, HookInvoker invoker, Clock clock, String owner, Duration claimDuration,
           Committer committer, TurnEnder turnEnder) {
        this.definitions = definitions;
        this.invoker = invoker;
        this.clock = clock;
        this.owner = owner;
        this.claimDuration = claimDuration;
        this.committer = committer;
        this.turnEnder = turnEnder;
    }

    /** Runs the next hook of {@code run} and submits its transition; never throws. */
    void drive(Run run) {
        try {
            Transition next = nextTransition(run);
            if (next != null) {
                committer.submit(next);
            }
        } catch (RuntimeException | Error e) {
            turnEnder.end(run, Outcome.SKIPPED, "internal error driving pipeline " + run.id() + ": "
                    + ErrorSummary.headline(e) + "; its claim expires and it will be retried");
        }
    }

    private Transition nextTransition(Run run) {
        PipelineRecord pipeline = run.pipeline();
        Instant now = Clocks.now(clock);
        if (!owner.equals(pipeline.claimOwner()) || !pipeline.isClaimedAt(now)) {
            turnEnder.end(run, Outcome.SKIPPED, "claim on pipeline " + pipeline.id() + " expired before its next"
                    + " hook could run; another orchestrator may take it over (raise claimDuration if hooks are slow)");
            return null;
        }
        String unknown = unknownName(pipeline);
        if (unknown != null) {
            return park(run, unknown, now);
        }
        StepRecord step = run.currentStep();
        StepDefinition definition = definitions.step(step.name()).orElse(null);
        if (definition == null) {
            // the step row names a step the pipeline row does not (changed by hand): park it like an unknown name
            return park(run, "its step record " + step.id() + " at position " + step.position() + " names \""
                    + step.name() + "\", and no @Step of that name is registered; it resumes once one is, or once"
                    + " the row names a registered step again", now);
        }
        return switch (step.status()) {
            case CREATED -> definition.hasOnStart()
                    ? call(run, definition, Hook.ON_START)
                    : callContinue(run, definition);
            case PENDING -> run.continued ? waitForNextPass(run, now) : callContinue(run, definition);
            case FINISHED -> advance(run, step, step.metadata(), pipeline.metadata(), now);
            case FAILED, CANCELLED -> endAsStored(run, step, now);
        };
    }

    private Transition callContinue(Run run, StepDefinition definition) {
        run.continued = true;
        if (!definition.hasOnContinue()) {
            // the class no longer has onContinue (it changed while the step was pending): nothing left to wait for
            StepRecord step = run.currentStep();
            return advance(run, step, step.metadata(), run.pipeline().metadata(), Clocks.now(clock));
        }
        return call(run, definition, Hook.ON_CONTINUE);
    }

    private Transition call(Run run, StepDefinition definition, Hook hook) {
        StepRecord step = run.currentStep();
        Instant started = Clocks.now(clock);
        HookContext ctx = new HookContext(run.pipeline(), step, started);
        HookCall hookCall = new HookCall(Thread.currentThread(), started.plus(definition.timeout()), hook);
        run.hookCall = hookCall;
        Throwable error = invoker.invoke(definition, hook, ctx);
        run.hookCall = null;
        if (!hookCall.finish()) {
            // the watchdog abandoned this call and saved the failed attempt; drop its interrupt and the result
            Thread.interrupted();
            return null;
        }
        Instant now = Clocks.now(clock);
        if (error != null) {
            return failedAttempt(run, definition, error, now);
        }
        Map<String, Object> stepMeta = ctx.metadata().asMap();
        Map<String, Object> pipelineMeta = ctx.pipelineMetadata().asMap();
        return switch (ctx.decision()) {
            case FINISH -> advance(run, step, stepMeta, pipelineMeta, now);
            case FAIL -> end(run, Status.FAILED, ctx.reason(), stepMeta, pipelineMeta, now);
            case CANCEL -> end(run, Status.CANCELLED, ctx.reason(), stepMeta, pipelineMeta, now);
            case CONTINUE_AFTER -> pending(run, stepMeta, pipelineMeta, release(run, now.plus(ctx.delay()), now),
                    Next.END_TURN, step.status() == Status.CREATED);
            case NONE -> hook == Hook.ON_START && definition.hasOnContinue()
                    ? pending(run, stepMeta, pipelineMeta, keepClaim(now), Next.DRIVE_ON, true)
                    : hook == Hook.ON_START
                    ? advance(run, step, stepMeta, pipelineMeta, now)
                    : pending(run, stepMeta, pipelineMeta, release(run, now, now), Next.END_TURN,
                            step.status() == Status.CREATED);
        };
    }

    private Transition pending(Run run, Map<String, Object> stepMeta, Map<String, Object> pipelineMeta,
                               UnaryOperator<PipelineRecord> claim, Next next, boolean progress) {
        Instant now = Clocks.now(clock);
        int position = run.pipeline().currentStep();
        return new Transition(run, p -> claim.apply(p.withMetadata(pipelineMeta)),
                List.of(new StepChange(position, s -> s.withStatus(Status.PENDING).withMetadata(stepMeta)
                        .withUpdatedAt(now))), next, Outcome.WAITING, null, progress);
    }

    private Transition advance(Run run, StepRecord step, Map<String, Object> stepMeta,
                               Map<String, Object> pipelineMeta, Instant now) {
        StepChange finished = new StepChange(step.position(),
                s -> s.withStatus(Status.FINISHED).withMetadata(stepMeta).withUpdatedAt(now));
        boolean last = step.position() == run.pipeline().stepNames().size() - 1;
        if (last) {
            return new Transition(run, p -> p.withStatus(Status.FINISHED).withMetadata(pipelineMeta)
                    .withLastError(null).withClaim(null, null).withDueAt(null).withUpdatedAt(now),
                    List.of(finished), Next.END_TURN, Outcome.FINISHED, null, true);
        }
        run.continued = false;
        UnaryOperator<PipelineRecord> keep = keepClaim(now);
        return new Transition(run, p -> keep.apply(p.withCurrentStep(step.position() + 1)
                .withMetadata(pipelineMeta).withLastError(null)), List.of(finished), Next.DRIVE_ON, null, null, true);
    }

    private Transition end(Run run, Status status, String reason, Map<String, Object> stepMeta,
                           Map<String, Object> pipelineMeta, Instant now) {
        StepRecord step = run.currentStep();
        String verb = status == Status.FAILED ? "failed" : "was cancelled";
        return new Transition(run, p -> p.withStatus(status).withMetadata(pipelineMeta)
                .withLastError("Step \"" + step.name() + "\" " + verb + ": " + reason)
                .withClaim(null, null).withDueAt(null).withUpdatedAt(now),
                List.of(new StepChange(step.position(), s -> s.withStatus(status).withMetadata(stepMeta)
                        .withLastError(reason).withUpdatedAt(now))),
                Next.END_TURN, status == Status.FAILED ? Outcome.FAILED : Outcome.CANCELLED, null, true);
    }

    /** A step already ended but its pipeline did not (a torn write in a non-atomic store): end the pipeline too. */
    private Transition endAsStored(Run run, StepRecord step, Instant now) {
        return end(run, step.status(), step.lastError() == null ? "ended earlier" : step.lastError(),
                step.metadata(), run.pipeline().metadata(), now);
    }

    private Transition failedAttempt(Run run, StepDefinition definition, Throwable error, Instant now) {
        StepRecord step = run.currentStep();
        int attempts = step.attempts() + 1;
        int max = definition.retryPolicy().maxAttempts();
        String summary = ErrorSummary.of(error);
        String headline = ErrorSummary.headline(error);
        StepChange counted = new StepChange(step.position(),
                s -> s.withAttempts(s.attempts() + 1).withLastError(summary).withUpdatedAt(now));
        if (attempts >= max) {
            String reason = "Step \"" + step.name() + "\" failed after " + attempts
                    + (attempts == 1 ? " attempt: " : " attempts: ") + headline;
            return new Transition(run, p -> p.withStatus(Status.FAILED).withLastError(reason).withClaim(null, null)
                    .withDueAt(null).withUpdatedAt(now),
                    List.of(new StepChange(step.position(), s -> counted.change().apply(s).withStatus(Status.FAILED))),
                    Next.END_TURN, Outcome.FAILED, "pipeline " + run.id() + ": " + reason, true);
        }
        Duration backoff = definition.retryPolicy().backoffAfter(attempts);
        String problem = "pipeline " + run.id() + ": step \"" + step.name() + "\" attempt " + attempts + " of " + max
                + " failed, retrying in " + backoff + ": " + headline;
        UnaryOperator<PipelineRecord> retry = release(run, now.plus(backoff), now);
        return new Transition(run, p -> retry.apply(p.withLastError(problem)), List.of(counted), Next.END_TURN,
                Outcome.WAITING, problem, false);
    }

    /** @return the failed attempt of a hook call the watchdog abandoned for running past its timeout */
    Transition timedOut(Run run, HookCall call) {
        StepRecord step = run.currentStep();
        StepDefinition definition = definitions.step(step.name()).orElseThrow();
        String hookName = call.hook() == Hook.ON_START ? "onStart" : "onContinue";
        TimeoutException error = new TimeoutException(hookName + " of step \"" + step.name() + "\" ran longer than "
                + definition.timeout() + "; its thread (" + call.threadName() + ") was interrupted and its result"
                + " will be ignored");
        error.setStackTrace(new StackTraceElement[0]);
        return failedAttempt(run, definition, error, Clocks.now(clock));
    }

    /** @return a transition that releases the claim and ends the turn, the pipeline due at once (on close) */
    Transition pause(Run run) {
        return waitForNextPass(run, Clocks.now(clock));
    }

    private Transition waitForNextPass(Run run, Instant now) {
        return new Transition(run, release(run, now, now), List.of(), Next.END_TURN, Outcome.WAITING, null,
                false);
    }

    private Transition park(Run run, String unknown, Instant now) {
        String problem = "pipeline " + run.id() + " left as it is: " + unknown;
        UnaryOperator<PipelineRecord> release = release(run, now, now);
        return new Transition(run, p -> release.apply(p.withLastError(problem)), List.of(), Next.END_TURN,
                Outcome.SKIPPED, problem, false);
    }

    private String unknownName(PipelineRecord pipeline) {
        if (definitions.pipeline(pipeline.name()).isEmpty()) {
            return "no @Pipeline named \"" + pipeline.name() + "\" is registered (renamed or removed?); it resumes"
                    + " once a pipeline of that name is registered again";
        }
        for (String step : pipeline.stepNames()) {
            if (definitions.step(step).isEmpty()) {
                return "no @Step named \"" + step + "\" is registered (renamed or removed?); it resumes once a"
                        + " step of that name is registered again";
            }
        }
        return null;
    }

    /** Pipelines released in a pass become due strictly after the pass started, so no pass sees one twice. */
    private static Instant afterThisPass(Run run, Instant now) {
        Instant passStart = run.tracker().passStart();
        return passStart != null && !now.isAfter(passStart) ? passStart.plus(1, ChronoUnit.MICROS) : now;
    }

    /** Releases the claim; the pipeline is due at {@code dueAt}, but never again in the pass that released it. */
    private static UnaryOperator<PipelineRecord> release(Run run, Instant dueAt, Instant now) {
        Instant due = latest(dueAt, afterThisPass(run, now));
        return p -> p.withClaim(null, null).withDueAt(due).withUpdatedAt(now);
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /**
     * Keeps the claim for the next hook: as it is while more than half of it is left, so that a transition leaves
     * the claim and due columns (and their index entries) alone, else extended to a full {@code claimDuration}.
     */
    private UnaryOperator<PipelineRecord> keepClaim(Instant now) {
        Instant until = now.plus(claimDuration);
        Instant halfLeft = now.plus(claimDuration.dividedBy(2));
        return p -> owner.equals(p.claimOwner()) && p.claimExpiresAt() != null && p.claimExpiresAt().isAfter(halfLeft)
                ? p.withUpdatedAt(now) : p.withClaim(owner, until).withDueAt(until).withUpdatedAt(now);
    }

    /** @return a change extending this orchestrator's claim, or leaving the record alone if it no longer holds it */
    UnaryOperator<PipelineRecord> renewal() {
        Instant now = Clocks.now(clock);
        Instant until = now.plus(claimDuration);
        return p -> owner.equals(p.claimOwner()) && p.status() == Status.PENDING
                ? p.withClaim(owner, until).withDueAt(until).withUpdatedAt(now) : p;
    }
}
