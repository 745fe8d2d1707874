package io.prorch.internal.engine;

import io.prorch.Status;
import io.prorch.internal.engine.Move.Next;
import io.prorch.internal.engine.Move.StepChange;
import io.prorch.internal.registry.Definitions;
import io.prorch.internal.registry.StepDefinition;
import io.prorch.repository.JsonValues;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RecordRejectedException;
import io.prorch.repository.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * The state diagram of a pipeline, in one place: from a run's committed records, a hook's result and the time, what
 * the records become and what the run does next. Pure: no I/O, no threads, no clock of its own.
 *
 * <pre>
 * step:     created --onStart--> pending --onContinue--> ... --> finished | failed | cancelled
 *             |  (no onStart: onContinue at once)   ^  |
 *             |                                     +--+ no decision: wait for the next pass
 *             |                                        continueAfter(d): wait until now + d
 *             +-- a hook throws: attempt counted, retried after a backoff; the last attempt fails the step
 *           pending past the step's deadline (@Step(deadline), from its first saved result) --> failed
 * pipeline: pending --(last step finished)--> finished
 *           pending --(a step failed | was cancelled | cancel from outside)--> failed | cancelled
 *           pending --(the same, with finished steps that have onCompensate)--> pending, compensating:
 * compensating, last such step first ({@link Compensations}):
 *   step:     finished --(entered)--> pending --onCompensate--> compensated --> the previous such step
 *               (a hook throws: retried like any hook; fail(..) or the last attempt: step and pipeline failed)
 *   pipeline: --(first such step compensated)--> compensated;  cancel from outside --> cancelled
 * </pre>
 *
 * A finished step is followed by the next one in the same turn. A pipeline or step name with no registered class
 * sets the pipeline aside as it is, with the reason in {@code lastError}: it is due again after a delay that doubles
 * from {@link #FIRST_SET_ASIDE_DELAY} up to {@link #MAX_SET_ASIDE_DELAY}, and resumes once the class is back.
 * An operator's cancel, retry, resume and restart from outside a run are in {@link OperatorMoves}.
 */
final class StepMachine {
    /** The first delay before a pipeline set aside is looked at again. */
    static final Duration FIRST_SET_ASIDE_DELAY = Duration.ofSeconds(1);
    /** The longest delay between two looks at a pipeline set aside. */
    static final Duration MAX_SET_ASIDE_DELAY = Duration.ofMinutes(1);

    private final Definitions definitions;
    private final String owner;
    private final Duration claimDuration;
    private final int maxMetadataBytes;
    private final Compensations compensations;

    /**
     * @param definitions the registered pipelines and steps
     * @param owner the id of the orchestrator the runs belong to
     * @param claimDuration how long a claim lasts
     * @param maxMetadataBytes the most JSON bytes a hook may leave in one record's metadata
     */
    StepMachine(Definitions definitions, String owner, Duration claimDuration, int maxMetadataBytes) {
        this.definitions = definitions;
        this.owner = owner;
        this.claimDuration = claimDuration;
        this.maxMetadataBytes = maxMetadataBytes;
        this.compensations = new Compensations(definitions, this::keepClaim);
    }

    /** @return what a run does next, judged from its committed records at {@code now} */
    Plan plan(RunState run, Instant now) {
        PipelineRecord pipeline = run.pipeline();
        if (!owner.equals(pipeline.claimOwner()) || !pipeline.isClaimedAt(now)) {
            return new Plan.Stop("claim on pipeline " + pipeline.id() + " expired before its next hook could run;"
                    + " another orchestrator may take it over (raise claimDuration if hooks are slow)");
        }
        String unknown = unknownName(pipeline);
        if (unknown != null) {
            return new Plan.Write(setAside(run, unknown, now));
        }
        StepRecord step = run.step();
        StepDefinition definition = definitions.step(pipeline, step.name()).orElse(null);
        if (definition == null) {
            // the step row names a step the pipeline row does not (changed by hand): park it like an unknown name
            return new Plan.Write(setAside(run, "its step record " + step.id() + " at position " + step.position()
                    + " names \"" + step.name() + "\", and no @Step of that name is registered; it resumes once one"
                    + " is, or once the row names a registered step again", now));
        }
        if (run.unsaved().count() >= definition.retryPolicy().maxAttempts()) {
            return new Plan.Write(unsaved(run, definition, now));
        }
        Compensations.Marker marker = Compensations.of(pipeline);
        if (marker != null) {
            return !definition.hasOnCompensate() ? new Plan.Write(compensations.skip(run, marker, now))
                    : step.status() == Status.FINISHED ? new Plan.Write(compensations.enter(run, now))
                    : step.status() == Status.PENDING ? callHook(run, definition, Hook.ON_COMPENSATE, now)
                    : new Plan.Write(compensations.skip(run, marker, now));
        }
        String passed = step.status() == Status.PENDING ? StepDeadline.passed(definition, step, now) : null;
        if (passed != null) {
            // however it waits (polling, a signal, a retry), a step past its deadline ends: its hook is not called
            return new Plan.Write(end(run, Status.FAILED, passed, step.metadata(), pipeline.metadata(), now));
        }
        return switch (step.status()) {
            case CREATED -> definition.hasOnStart()
                    ? callHook(run, definition, Hook.ON_START, now)
                    : continueOrAdvance(run, definition, now);
            case PENDING -> run.continued()
                    ? new Plan.Write(release(run, now, Outcome.WAITING))
                    : continueOrAdvance(run, definition, now);
            // a stored step that already ended while its pipeline did not (written by a store without atomic batches)
            case FINISHED -> new Plan.Write(advance(run, step.metadata(), pipeline.metadata(), now));
            case FAILED, CANCELLED, COMPENSATED -> new Plan.Write(end(run, step.status() == Status.CANCELLED
                    ? Status.CANCELLED : Status.FAILED,
                    step.lastError() == null ? "ended earlier" : step.lastError(), step.metadata(),
                    pipeline.metadata(), now));
        };
    }

    private Plan continueOrAdvance(RunState run, StepDefinition definition, Instant now) {
        if (!definition.hasOnContinue()) {
            // the class no longer has onContinue (it changed while the step was pending): nothing left to wait for
            return new Plan.Write(advance(run, run.step().metadata(), run.pipeline().metadata(), now));
        }
        return callHook(run, definition, Hook.ON_CONTINUE, now);
    }

    /**
     * A hook starts only with at least half of the claim left: otherwise the claim is extended first, so that a run
     * that waited (a slow hook before, a busy committer) never starts a hook its claim may not outlive.
     */
    private Plan callHook(RunState run, StepDefinition definition, Hook hook, Instant now) {
        if (run.pipeline().claimExpiresAt().isBefore(now.plus(claimDuration.dividedBy(2)))) {
            return new Plan.Write(new Move(keepClaim(now), List.of(), Next.DRIVE_ON, null, null, false));
        }
        return new Plan.CallHook(definition, hook);
    }

    /** @return what the result of a call of {@code hook} on the current step means */
    Move afterHook(RunState run, StepDefinition definition, Hook hook, HookResult result, Instant now) {
        if (result.error() != null) {
            return failedAttempt(run, definition, result.error(), now);
        }
        boolean entered = run.step().status() == Status.CREATED;
        Map<String, Object> stepMeta = result.decision() == Decision.AWAIT_SIGNAL
                ? Awaiting.with(result.stepMetadata(), result.awaited(), now.plus(result.delay()))
                : result.stepMetadata();
        stepMeta = entered ? StepDeadline.entered(definition, stepMeta, now) : stepMeta;
        Instant deadline = StepDeadline.at(definition, stepMeta);
        Map<String, Object> pipelineMeta = result.pipelineMetadata();
        RecordRejectedException tooLarge = oversized(run, "step", run.step().metadata(), stepMeta);
        if (tooLarge == null) {
            tooLarge = oversized(run, "pipeline", run.pipeline().metadata(), pipelineMeta);
        }
        if (tooLarge != null) {
            return failedAttempt(run, definition, tooLarge, now);
        }
        if (hook == Hook.ON_COMPENSATE) {
            return compensations.afterHook(run, result, stepMeta, pipelineMeta, now);
        }
        // a step that waits for a signal and has not decided sleeps until its deadline; a signal wakes it earlier
        Instant waitingUntil = Awaiting.nextDeadline(stepMeta, now);
        Move move = switch (result.decision()) {
            case FINISH -> advance(run, stepMeta, pipelineMeta, now);
            case FAIL -> end(run, Status.FAILED, result.reason(), stepMeta, pipelineMeta, now);
            case CANCEL -> end(run, Status.CANCELLED, result.reason(), stepMeta, pipelineMeta, now);
            case CONTINUE_AFTER, AWAIT_SIGNAL -> pending(run, stepMeta, pipelineMeta,
                    releaseClaim(run, StepDeadline.capped(now.plus(result.delay()), deadline), now), Next.END_TURN,
                    entered, now);
            case NONE -> hook == Hook.ON_START && definition.hasOnContinue()
                    ? pending(run, stepMeta, pipelineMeta, keepClaim(now), Next.DRIVE_ON, true, now)
                    : hook == Hook.ON_START
                    ? advance(run, stepMeta, pipelineMeta, now)
                    : pending(run, stepMeta, pipelineMeta, releaseClaim(run, waitingUntil == null ? now
                    : StepDeadline.capped(waitingUntil, deadline), now), Next.END_TURN, entered, now);
        };
        int position = run.step().position();
        // most hooks read no signal: no stream on the path every transition takes
        return result.consumed().isEmpty() ? move
                : move.consuming(result.consumed().stream().map(s -> s.consumedBy(position, now)).toList());
    }

    /**
     * @return the failed attempt of a hook whose move the store refused for its data ({@code RecordRejectedException}):
     *     counted like an exception of the hook, its changes discarded, so that it never runs without end
     */
    Move rejected(RunState run, Throwable error, Instant now) {
        return failedAttempt(run, definitions.step(run.pipeline(), run.step().name()).orElseThrow(), error, now);
    }

    /** @return the failed attempt of a hook call abandoned for running past the step's timeout */
    Move timedOut(RunState run, Hook hook, String threadName, Instant now) {
        StepRecord step = run.step();
        StepDefinition definition = definitions.step(run.pipeline(), step.name()).orElseThrow();
        TimeoutException error = new TimeoutException(hook.methodName() + " of step \"" + step.name()
                + "\" ran longer than " + definition.timeout() + "; its thread (" + threadName + ") was interrupted"
                + " and its result will be ignored");
        error.setStackTrace(new StackTraceElement[0]);
        return failedAttempt(run, definition, error, now);
    }

    /** @return a move that releases the claim and ends the turn, the pipeline due at once (on close) */
    Move pause(RunState run, Instant now) {
        return release(run, now, Outcome.WAITING);
    }

    /** @return a move extending this orchestrator's claim, or leaving the record alone if it no longer holds it */
    Move renewal(Instant now) {
        Instant until = now.plus(claimDuration);
        return new Move(p -> owner.equals(p.claimOwner()) && p.status() == Status.PENDING
                ? p.withClaim(owner, until).withDueAt(until).withUpdatedAt(now) : p,
                List.of(), Next.NOTHING, null, null, false);
    }

    /**
     * Fails the step whose hook ran as many times in a row as its retry policy allows without any result saved (the
     * store failed every save): the bound on re-executions when nothing can be counted in the store itself.
     */
    private Move unsaved(RunState run, StepDefinition definition, Instant now) {
        int count = run.unsaved().count();
        IllegalStateException error = new IllegalStateException(count + " executions of step \"" + run.step().name()
                + "\" in a row could not be saved (the store failed each save; the last: "
                + run.unsaved().lastError() + "); the step is not run again");
        error.setStackTrace(new StackTraceElement[0]);
        String reason = "Step \"" + run.step().name() + "\" failed: " + ErrorSummary.headline(error);
        return compensations.end(run, Status.FAILED, reason, s -> s.withStatus(Status.FAILED)
                .withLastError(ErrorSummary.of(error)).withUpdatedAt(now), run.pipeline().metadata(),
                "pipeline " + run.pipeline().id() + ": " + reason, now);
    }

    /** @return the refusal of metadata a hook left over the limit, or null if it fits (or was not changed) */
    private RecordRejectedException oversized(RunState run, String whose, Map<String, Object> before,
                                              Map<String, Object> after) {
        if (after == before) {
            return null;
        }
        long size = JsonValues.jsonSize(after);
        if (size <= maxMetadataBytes) {
            return null;
        }
        RecordRejectedException error = new RecordRejectedException("pipeline " + run.pipeline().id() + ": step \""
                + run.step().name() + "\" left " + size + " bytes of " + whose + " metadata (as JSON), over the limit"
                + " of " + maxMetadataBytes + " bytes (maxMetadataBytes); keep large data elsewhere and store its"
                + " key, or raise the limit");
        error.setStackTrace(new StackTraceElement[0]);
        return error;
    }

    private Move pending(RunState run, Map<String, Object> stepMeta, Map<String, Object> pipelineMeta,
                         UnaryOperator<PipelineRecord> claim, Next next, boolean progress, Instant now) {
        return new Move(p -> claim.apply(p.withMetadata(pipelineMeta)),
                List.of(new StepChange(run.step().position(), s -> s.withStatus(Status.PENDING)
                        .withMetadata(stepMeta).withUpdatedAt(now))),
                next, next == Next.END_TURN ? Outcome.WAITING : null, null, progress);
    }

    private Move advance(RunState run, Map<String, Object> stepMeta, Map<String, Object> pipelineMeta, Instant now) {
        StepRecord step = run.step();
        StepChange finished = new StepChange(step.position(),
                s -> s.withStatus(Status.FINISHED).withMetadata(stepMeta).withUpdatedAt(now));
        if (step.position() == run.pipeline().stepNames().size() - 1) {
            return new Move(p -> p.withStatus(Status.FINISHED).withMetadata(pipelineMeta).withLastError(null)
                    .withClaim(null, null).withDueAt(null).withUpdatedAt(now),
                    List.of(finished), Next.END_TURN, Outcome.FINISHED, null, true);
        }
        UnaryOperator<PipelineRecord> keep = keepClaim(now);
        return new Move(p -> keep.apply(p.withCurrentStep(step.position() + 1).withMetadata(pipelineMeta)
                .withLastError(null)), List.of(finished), Next.DRIVE_ON, null, null, true);
    }

    private Move end(RunState run, Status status, String reason, Map<String, Object> stepMeta,
                     Map<String, Object> pipelineMeta, Instant now) {
        StepRecord step = run.step();
        String verb = status == Status.FAILED ? "failed" : "was cancelled";
        return compensations.end(run, status, "Step \"" + step.name() + "\" " + verb + ": " + reason,
                s -> s.withStatus(status).withMetadata(stepMeta).withLastError(reason).withUpdatedAt(now),
                pipelineMeta, null, now);
    }

    private Move failedAttempt(RunState run, StepDefinition definition, Throwable error, Instant now) {
        StepRecord step = run.step();
        int attempts = step.attempts() + 1;
        int max = definition.retryPolicy().maxAttempts();
        String summary = ErrorSummary.of(error);
        String headline = ErrorSummary.headline(error);
        UnaryOperator<StepRecord> counted = s -> s.withAttempts(s.attempts() + 1).withLastError(summary)
                .withUpdatedAt(now);
        if (attempts >= max) {
            String reason = "Step \"" + step.name() + "\" failed after " + attempts
                    + (attempts == 1 ? " attempt: " : " attempts: ") + headline;
            return compensations.end(run, Status.FAILED, reason, s -> counted.apply(s).withStatus(Status.FAILED),
                    run.pipeline().metadata(), "pipeline " + run.pipeline().id() + ": " + reason, now);
        }
        Duration backoff = definition.retryPolicy().backoffAfter(attempts);
        String problem = "pipeline " + run.pipeline().id() + ": step \"" + step.name() + "\" attempt " + attempts
                + " of " + max + " failed, retrying in " + backoff + ": " + headline;
        UnaryOperator<PipelineRecord> retry = releaseClaim(run,
                StepDeadline.capped(now.plus(backoff), StepDeadline.at(definition, step.metadata())), now);
        return new Move(p -> retry.apply(p.withLastError(problem)), List.of(new StepChange(step.position(), counted)),
                Next.END_TURN, Outcome.WAITING, problem, false);
    }

    /**
     * Sets a pipeline that cannot be run aside: unclaimed, due again only after a delay as long as its step has not
     * moved (at least {@link #FIRST_SET_ASIDE_DELAY}, at most {@link #MAX_SET_ASIDE_DELAY}), so that a pipeline that
     * stays unrunnable costs about one write a minute. The delay comes from the stored step, so every orchestrator
     * sharing the store agrees on it. The problem is reported when it is new, not at every look.
     */
    private Move setAside(RunState run, String unknown, Instant now) {
        String problem = "pipeline " + run.pipeline().id() + " left as it is: " + unknown;
        Duration asideFor = Duration.between(run.step().updatedAt(), now);
        Duration delay = asideFor.compareTo(FIRST_SET_ASIDE_DELAY) < 0 ? FIRST_SET_ASIDE_DELAY
                : asideFor.compareTo(MAX_SET_ASIDE_DELAY) > 0 ? MAX_SET_ASIDE_DELAY : asideFor;
        UnaryOperator<PipelineRecord> release = releaseClaim(run, now.plus(delay), now);
        boolean known = problem.equals(run.pipeline().lastError());
        return new Move(p -> release.apply(p.withLastError(problem)), List.of(), Next.END_TURN, Outcome.SKIPPED,
                known ? null : problem, false);
    }

    private Move release(RunState run, Instant now, Outcome outcome) {
        return new Move(releaseClaim(run, now, now), List.of(), Next.END_TURN, outcome, null, false);
    }

    private String unknownName(PipelineRecord pipeline) {
        if (definitions.pipeline(pipeline.name()).isEmpty()) {
            return "no @Pipeline named \"" + pipeline.name() + "\" is registered (renamed or removed?); it resumes"
                    + " once a pipeline of that name is registered again";
        }
        String version = definitions.missingVersion(pipeline);
        if (version != null) {
            return version;
        }
        for (String step : pipeline.stepNames()) {
            if (definitions.step(pipeline, step).isEmpty()) {
                return "no @Step named \"" + step + "\" is registered (renamed or removed?); it resumes once a"
                        + " step of that name is registered again";
            }
        }
        return null;
    }

    /** Releases the claim; the pipeline is due at {@code dueAt}, but never again in the pass that released it. */
    static UnaryOperator<PipelineRecord> releaseClaim(RunState run, Instant dueAt, Instant now) {
        Instant passStart = run.passStart();
        Instant afterThisPass = passStart != null && !now.isAfter(passStart) ? passStart.plus(1, ChronoUnit.MICROS)
                : now;
        Instant due = dueAt.isAfter(afterThisPass) ? dueAt : afterThisPass;
        return p -> p.withClaim(null, null).withDueAt(due).withUpdatedAt(now);
    }

    /**
     * Keeps the claim for the next hook: as it is while more than half of it is left, so that a transition leaves
     * the claim and due columns (and their index entries) alone, else extended to a full {@code claimDuration}.
     */
    UnaryOperator<PipelineRecord> keepClaim(Instant now) {
        Instant until = now.plus(claimDuration);
        Instant halfLeft = now.plus(claimDuration.dividedBy(2));
        return p -> owner.equals(p.claimOwner()) && p.claimExpiresAt() != null && p.claimExpiresAt().isAfter(halfLeft)
                ? p.withUpdatedAt(now) : p.withClaim(owner, until).withDueAt(until).withUpdatedAt(now);
    }
}
