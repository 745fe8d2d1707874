package io.prorch.test;

import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.StepView;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link StepView}; obtain them from {@link PipelineViewAssert#step(String)}. */
public final class StepViewAssert extends AbstractAssert<StepViewAssert, StepView> {
    private final PipelineView pipeline;

    StepViewAssert(StepView actual, PipelineView pipeline) {
        super(actual, StepViewAssert.class);
        this.pipeline = pipeline;
    }

    /** Verifies that the step is {@code finished}. */
    public StepViewAssert isFinished() {
        return hasStatus(Status.FINISHED);
    }

    /** Verifies that the step is {@code failed}. */
    public StepViewAssert isFailed() {
        return hasStatus(Status.FAILED);
    }

    /** Verifies that the step is {@code compensated}: undone by {@code OnCompensate} hooks. */
    public StepViewAssert isCompensated() {
        return hasStatus(Status.COMPENSATED);
    }

    /** Verifies that the step is {@code cancelled}. */
    public StepViewAssert isCancelled() {
        return hasStatus(Status.CANCELLED);
    }

    /** Verifies that the step is {@code pending}: entered, not ended. */
    public StepViewAssert isPending() {
        return hasStatus(Status.PENDING);
    }

    /** Verifies that the step is {@code created}: not entered yet. */
    public StepViewAssert isCreated() {
        return hasStatus(Status.CREATED);
    }

    /** Verifies the step's status. */
    public StepViewAssert hasStatus(Status expected) {
        isNotNull();
        if (actual.status() != expected) {
            fail("to be " + expected.value() + ", but it is " + Describe.stepState(actual));
        }
        return this;
    }

    /** Verifies how many of the step's hook invocations threw ({@link StepView#attempts()}). */
    public StepViewAssert hasAttempts(int expected) {
        isNotNull();
        if (actual.attempts() != expected) {
            fail("to have " + expected + " failed attempts, but it has " + actual.attempts() + " ("
                    + Describe.stepState(actual) + ")");
        }
        return this;
    }

    /** Verifies that the step's last error (exception summary, fail or cancel reason) contains {@code text}. */
    public StepViewAssert hasLastErrorContaining(String text) {
        isNotNull();
        if (actual.lastError() == null || !actual.lastError().contains(text)) {
            fail("to have a last error containing \"" + text + "\", but "
                    + (actual.lastError() == null ? "it has none" : "it is \"" + actual.lastError() + "\"")
                    + " (" + actual.status().value() + ")");
        }
        return this;
    }

    /** Verifies that the step's metadata maps {@code key} to {@code value} (numbers compare by value). */
    public StepViewAssert hasMetadataEntry(String key, Object value) {
        isNotNull();
        String problem = MetadataEntries.mismatch(actual.metadata(), key, value);
        if (problem != null) {
            fail(problem);
        }
        return this;
    }

    private void fail(String expectation) {
        String of = pipeline == null ? "" : " of pipeline " + Describe.name(pipeline);
        failWithMessage("%s", "Expecting step \"" + actual.name() + "\"" + of + " " + expectation);
    }
}
