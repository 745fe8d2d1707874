package io.prorch.internal.engine;

import static java.util.Objects.requireNonNull;

import io.prorch.Metadata;
import io.prorch.StepContext;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** The {@link StepContext} of one hook call: editable copies of the metadata, and the decision taken. */
final class HookContext implements StepContext {
    private final PipelineRecord pipeline;
    private final StepRecord step;
    private final Instant now;
    private final Metadata metadata;
    private final Metadata pipelineMetadata;
    private Decision decision = Decision.NONE;
    private String reason;
    private Duration delay;
    private volatile boolean open = true;

    HookContext(PipelineRecord pipeline, StepRecord step, Instant now) {
        this.pipeline = pipeline;
        this.step = step;
        this.now = now;
        this.metadata = new Metadata(step.metadata());
        this.pipelineMetadata = new Metadata(pipeline.metadata());
    }

    @Override
    public UUID pipelineId() {
        return pipeline.id();
    }

    @Override
    public String pipelineName() {
        return pipeline.name();
    }

    @Override
    public UUID stepId() {
        return step.id();
    }

    @Override
    public String stepName() {
        return step.name();
    }

    @Override
    public int stepPosition() {
        return step.position();
    }

    @Override
    public int attempt() {
        return step.attempts() + 1;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public Metadata metadata() {
        return metadata;
    }

    @Override
    public Metadata pipelineMetadata() {
        return pipelineMetadata;
    }

    @Override
    public String idempotencyKey() {
        return pipeline.id() + "/" + step.position() + "/" + step.name();
    }

    @Override
    public long fencingToken() {
        return pipeline.version();
    }

    @Override
    public void finish() {
        decide(Decision.FINISH, null, null);
    }

    @Override
    public void fail(String reason) {
        decide(Decision.FAIL, ErrorSummary.reason(requireNonNull(reason, "reason")), null);
    }

    @Override
    public void cancel(String reason) {
        decide(Decision.CANCEL, ErrorSummary.reason(requireNonNull(reason, "reason")), null);
    }

    @Override
    public void continueAfter(Duration delay) {
        requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("continueAfter delay must not be negative, but was " + delay);
        }
        decide(Decision.CONTINUE_AFTER, null, delay);
    }

    private void decide(Decision next, String why, Duration wait) {
        if (!open) {
            throw new IllegalStateException("The hook of step \"" + step.name() + "\" of pipeline " + pipeline.id()
                    + " has returned; decide inside the hook call, not afterwards or from another thread");
        }
        if (decision != Decision.NONE) {
            throw new IllegalStateException("Step \"" + step.name() + "\" already decided " + describe(decision)
                    + " in this hook call; a hook takes at most one decision");
        }
        decision = next;
        reason = why;
        delay = wait;
    }

    private static String describe(Decision d) {
        return switch (d) {
            case FINISH -> "finish()";
            case FAIL -> "fail(..)";
            case CANCEL -> "cancel(..)";
            case CONTINUE_AFTER -> "continueAfter(..)";
            case NONE -> "nothing";
        };
    }

    /** Ends the call: later decisions throw. */
    void close() {
        open = false;
    }

    /** @return the decision taken and the metadata as the hook left it */
    HookResult result() {
        return new HookResult(decision, reason, delay, metadata.asMap(), pipelineMetadata.asMap(), null);
    }
}
