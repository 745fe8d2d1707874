package io.prorch.test;

import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.StepView;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link PipelineView}; obtain them from {@link ProrchAssertions#assertThat(Optional)}. */
public final class PipelineViewAssert extends AbstractAssert<PipelineViewAssert, PipelineView> {

    PipelineViewAssert(Optional<PipelineView> actual) {
        super(actual.orElse(null), PipelineViewAssert.class);
    }

    /** Verifies that there is a pipeline: {@code find(id)} did not return empty. */
    public PipelineViewAssert exists() {
        view();
        return this;
    }

    /** Verifies that the pipeline has ended {@code finished}. */
    public PipelineViewAssert isFinished() {
        return hasStatus(Status.FINISHED);
    }

    /** Verifies that the pipeline has ended {@code failed}. */
    public PipelineViewAssert isFailed() {
        return hasStatus(Status.FAILED);
    }

    /** Verifies that the pipeline has ended {@code compensated}: failed or cancelled, its finished steps undone. */
    public PipelineViewAssert isCompensated() {
        return hasStatus(Status.COMPENSATED);
    }

    /** Verifies that the pipeline has ended {@code cancelled}. */
    public PipelineViewAssert isCancelled() {
        return hasStatus(Status.CANCELLED);
    }

    /** Verifies that the pipeline is still {@code pending}: running or waiting. */
    public PipelineViewAssert isPending() {
        return hasStatus(Status.PENDING);
    }

    /** Verifies the pipeline's status. */
    public PipelineViewAssert hasStatus(Status expected) {
        PipelineView view = view();
        if (view.status() != expected) {
            fail("to be " + expected.value() + ", but it is " + Describe.state(view));
        }
        return this;
    }

    /** Verifies that the pipeline's last error (failure, cancel reason, set-aside reason) contains {@code text}. */
    public PipelineViewAssert hasLastErrorContaining(String text) {
        PipelineView view = view();
        if (view.lastError() == null || !view.lastError().contains(text)) {
            fail("to have a last error containing \"" + text + "\", but "
                    + (view.lastError() == null ? "it has none" : "it is \"" + view.lastError() + "\"")
                    + " (" + view.status().value() + ")");
        }
        return this;
    }

    /** Verifies that the pipeline metadata maps {@code key} to {@code value} (numbers compare by value). */
    public PipelineViewAssert hasMetadataEntry(String key, Object value) {
        PipelineView view = view();
        String problem = MetadataEntries.mismatch(view.metadata(), key, value);
        if (problem != null) {
            fail(problem);
        }
        return this;
    }

    /**
     * @return assertions on the step named {@code stepName}
     * @throws AssertionError if the pipeline has no such step (the message lists its steps)
     */
    public StepViewAssert step(String stepName) {
        PipelineView view = view();
        Optional<StepView> step = view.step(stepName);
        if (step.isEmpty()) {
            fail("to have a step \"" + stepName + "\", but its steps are "
                    + view.steps().stream().map(StepView::name).toList());
        }
        return new StepViewAssert(step.get(), view);
    }

    private PipelineView view() {
        if (actual == null) {
            failWithMessage("%s", "Expecting a pipeline, but there is none (find(id) returned Optional.empty)");
        }
        return actual;
    }

    private void fail(String expectation) {
        failWithMessage("%s", "Expecting pipeline " + Describe.name(actual) + " " + expectation);
    }
}
