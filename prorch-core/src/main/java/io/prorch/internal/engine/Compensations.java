package io.prorch.internal.engine;

import io.prorch.Status;
import io.prorch.internal.engine.Move.Next;
import io.prorch.internal.engine.Move.StepChange;
import io.prorch.internal.registry.Definitions;
import io.prorch.internal.registry.StepDefinition;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The compensation part of the {@link StepMachine}'s diagram (pure, like it): a pipeline whose step failed for good or
 * was cancelled, and which has finished steps with {@code onCompensate}, stays {@code pending} with a marker in its
 * metadata under {@value #KEY} (the cause and the reason), and its current step goes back to each such step in turn,
 * last first. Each one is entered ({@code finished -> pending}, attempts counted afresh), compensated
 * ({@code -> compensated}), and the pipeline moves back; after the first step it is {@code compensated}. A compensation
 * that fails for good ends the step and the pipeline {@code failed}, the marker kept so that an operator's retry runs
 * the compensation again.
 *
 * <p>A move back keeps the claim and drives on in the same turn; a run holds only the step records from the step it
 * was claimed at on, so the {@link RunLoop} reads an earlier one when the run reaches it.
 */
final class Compensations {
    /** The reserved pipeline metadata key of the marker. */
    static final String KEY = "_prorch.compensation";

    private final Definitions definitions;
    private final Function<Instant, UnaryOperator<PipelineRecord>> keepClaim;

    /** @param keepClaim the change that keeps this orchestrator's claim for the next hook, at a time */
    Compensations(Definitions definitions, Function<Instant, UnaryOperator<PipelineRecord>> keepClaim) {
        this.definitions = definitions;
        this.keepClaim = keepClaim;
    }

    /** The marker: why the pipeline is being compensated. */
    record Marker(Status cause, String reason) {
        Map<String, Object> into(Map<String, Object> metadata) {
            Map<String, Object> copy = new LinkedHashMap<>(metadata);
            copy.put(KEY, Map.of("cause", cause.value(), "reason", reason));
            return copy;
        }
    }

    /** @return the marker in a pipeline's metadata, or null if it is not being compensated */
    static Marker of(PipelineRecord pipeline) {
        return of(pipeline.metadata());
    }

    /** @return the marker in pipeline metadata, or null if there is none (or it was edited beyond recognition) */
    static Marker of(Map<String, Object> metadata) {
        if (metadata.get(KEY) instanceof Map<?, ?> marker && marker.get("cause") instanceof String cause
                && marker.get("reason") instanceof String reason) {
            try {
                return new Marker(Status.fromValue(cause), reason);
            } catch (IllegalArgumentException edited) {
                return new Marker(Status.FAILED, reason);
            }
        }
        return null;
    }

    /** @return {@code metadata} without the marker */
    static Map<String, Object> without(Map<String, Object> metadata) {
        if (!metadata.containsKey(KEY)) {
            return metadata;
        }
        Map<String, Object> copy = new LinkedHashMap<>(metadata);
        copy.remove(KEY);
        return copy;
    }

    /** @return whether the step named {@code name} has an {@code onCompensate} hook */
    boolean compensable(String name) {
        return definitions.step(name).map(StepDefinition::hasOnCompensate).orElse(false);
    }

    /** @return the last position before {@code position} whose step has {@code onCompensate}, or -1 */
    int previous(PipelineRecord pipeline, int position) {
        return previous(definitions, pipeline.stepNames(), position);
    }

    /** @return the last position before {@code position} whose step has {@code onCompensate}, or -1 */
    static int previous(Definitions definitions, List<String> stepNames, int position) {
        for (int i = Math.min(position, stepNames.size()) - 1; i >= 0; i--) {
            if (definitions.step(stepNames.get(i)).map(StepDefinition::hasOnCompensate).orElse(false)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Ends the pipeline with its current step, or, if earlier steps have {@code onCompensate}, starts compensating
     * instead: the ended step changed as it would be, the pipeline pending at the last such step with the marker set,
     * the claim kept to drive on. Ended during a compensation, the compensation failed for good.
     *
     * @param status {@code FAILED} or {@code CANCELLED}
     * @param reason the pipeline's reason, as it ends with it
     * @param step the change that ends the current step
     * @param problem a problem to report, or null
     */
    Move end(RunState run, Status status, String reason, UnaryOperator<StepRecord> step,
             Map<String, Object> pipelineMeta, String problem, Instant now) {
        StepChange ended = new StepChange(run.step().position(), step);
        Marker marker = of(run.pipeline());
        if (marker != null) {
            return failed(run, marker, reason, ended, pipelineMeta, now);
        }
        int to = previous(run.pipeline(), run.step().position());
        if (to < 0) {
            return new Move(p -> p.withStatus(status).withMetadata(pipelineMeta).withLastError(reason)
                    .withClaim(null, null).withDueAt(null).withUpdatedAt(now), List.of(ended), Next.END_TURN,
                    status == Status.FAILED ? Outcome.FAILED : Outcome.CANCELLED, problem, true);
        }
        Map<String, Object> marked = new Marker(status, reason).into(pipelineMeta);
        UnaryOperator<PipelineRecord> keep = keepClaim.apply(now);
        return new Move(p -> keep.apply(p.withCurrentStep(to).withMetadata(marked).withLastError(reason
                + "; compensating")), List.of(ended), Next.DRIVE_ON, null, problem, true);
    }

    /** @return what the result of {@code onCompensate} on the current step means */
    Move afterHook(RunState run, HookResult result, Map<String, Object> stepMeta, Map<String, Object> pipelineMeta,
                   Instant now) {
        Marker marker = of(run.pipeline());
        int position = run.step().position();
        Move move = switch (result.decision()) {
            case NONE, FINISH -> compensated(run, marker, stepMeta, pipelineMeta, now);
            case FAIL, CANCEL -> failed(run, marker, result.reason(), new StepChange(position, s -> s
                    .withStatus(Status.FAILED).withMetadata(stepMeta).withLastError(result.reason())
                    .withUpdatedAt(now)), pipelineMeta, now);
            case CONTINUE_AFTER, AWAIT_SIGNAL -> {
                UnaryOperator<PipelineRecord> release = StepMachine.releaseClaim(run, now.plus(result.delay()), now);
                Map<String, Object> marked = marker.into(pipelineMeta);
                yield new Move(p -> release.apply(p.withMetadata(marked)), List.of(new StepChange(position,
                        s -> s.withMetadata(stepMeta).withUpdatedAt(now))), Next.END_TURN, Outcome.WAITING, null,
                        false);
            }
        };
        return result.consumed().isEmpty() ? move
                : move.consuming(result.consumed().stream().map(s -> s.consumedBy(position, now)).toList());
    }

    /**
     * Cancels a pipeline from outside whose earlier steps have {@code onCompensate}: its current step (unless it
     * already ended) is {@code cancelled}, and the pipeline is compensating from step {@code to}, unclaimed and due at
     * once.
     *
     * @param step the record of the pipeline's current step, or null if it cannot be read
     */
    static Move cancel(StepRecord step, String reason, int to, Instant now) {
        List<StepChange> steps = step == null || step.status().isTerminal() ? List.of()
                : List.of(new StepChange(step.position(),
                        s -> s.withStatus(Status.CANCELLED).withLastError(reason).withUpdatedAt(now)));
        Marker marker = new Marker(Status.CANCELLED, "Cancelled: " + reason);
        return new Move(p -> p.withCurrentStep(to).withMetadata(marker.into(p.metadata()))
                .withLastError(marker.reason() + "; compensating").withClaim(null, null).withDueAt(now)
                .withUpdatedAt(now), steps, Next.END_TURN, Outcome.CANCELLED, null, true);
    }

    /**
     * Follows an operator's retry of a pipeline whose compensation failed: its step is compensated again (pending,
     * so {@code onCompensate} runs), not entered again.
     */
    static Move compensateAgain(int position, Instant now) {
        return new Move(p -> p, List.of(new StepChange(position, s -> s.withStatus(Status.PENDING)
                .withUpdatedAt(now))), Next.NOTHING, null, null, true);
    }

    /** Follows an operator's restart: the pipeline runs forward again, no longer compensating. */
    static Move forward() {
        return new Move(p -> p.withMetadata(without(p.metadata())), List.of(), Next.NOTHING, null, null, true);
    }

    /** Enters the finished step to compensate: {@code pending} again, its attempts counted afresh. */
    Move enter(RunState run, Instant now) {
        return new Move(keepClaim.apply(now), List.of(new StepChange(run.step().position(), s -> s
                .withStatus(Status.PENDING).withAttempts(0).withLastError(null).withUpdatedAt(now))), Next.DRIVE_ON,
                null, null, true);
    }

    /**
     * The current step of a pipeline being compensated needs no hook (it has no {@code onCompensate}, was never
     * entered, ended otherwise, or is compensated already): the pipeline moves back past it.
     */
    Move skip(RunState run, Marker marker, Instant now) {
        return back(run, marker, run.pipeline().metadata(), List.of(), now);
    }

    /** The current step's compensation ran: it is {@code compensated}, and the pipeline moves back. */
    Move compensated(RunState run, Marker marker, Map<String, Object> stepMeta, Map<String, Object> pipelineMeta,
                     Instant now) {
        StepChange done = new StepChange(run.step().position(), s -> s.withStatus(Status.COMPENSATED)
                .withMetadata(stepMeta).withLastError(null).withUpdatedAt(now));
        return back(run, marker, marker.into(pipelineMeta), List.of(done), now);
    }

    /**
     * The current step's compensation failed for good: the step and the pipeline are {@code failed}, the marker kept
     * (so that an operator's retry compensates again).
     *
     * @param why what failed: the hook's reason, or the step's failure as it would end the pipeline
     * @param step the change that ends the step {@code failed}
     */
    private Move failed(RunState run, Marker marker, String why, StepChange step, Map<String, Object> pipelineMeta,
                        Instant now) {
        String reason = "Compensation of step \"" + run.step().name() + "\" failed: " + why
                + " (compensating after: " + marker.reason() + ")";
        Map<String, Object> marked = marker.into(pipelineMeta);
        return new Move(p -> p.withStatus(Status.FAILED).withMetadata(marked).withLastError(reason)
                .withClaim(null, null).withDueAt(null).withUpdatedAt(now), List.of(step), Next.END_TURN,
                Outcome.FAILED, "pipeline " + run.pipeline().id() + ": " + reason, true);
    }

    /** @return the move to the previous step with {@code onCompensate}, or the end as {@code compensated} */
    private Move back(RunState run, Marker marker, Map<String, Object> pipelineMeta, List<StepChange> steps,
                      Instant now) {
        int to = previous(run.pipeline(), run.step().position());
        if (to >= 0) {
            UnaryOperator<PipelineRecord> keep = keepClaim.apply(now);
            return new Move(p -> keep.apply(p.withCurrentStep(to).withMetadata(pipelineMeta)), steps,
                    Next.DRIVE_ON, null, null, true);
        }
        Map<String, Object> clean = without(pipelineMeta);
        return new Move(p -> p.withStatus(Status.COMPENSATED).withMetadata(clean)
                .withLastError(marker.reason() + "; compensated").withClaim(null, null).withDueAt(null)
                .withUpdatedAt(now), steps, Next.END_TURN,
                marker.cause() == Status.CANCELLED ? Outcome.CANCELLED : Outcome.FAILED, null, true);
    }
}
