package io.prorch.test;

import io.prorch.PipelineView;
import io.prorch.StepView;
import java.util.Optional;

/**
 * AssertJ entry points for pipelines and steps; failure messages name the pipeline, the step and what was found.
 *
 * <pre>{@code
 * import static io.prorch.test.ProrchAssertions.assertThat;
 *
 * assertThat(orchestrator.find(id)).isFinished().hasMetadataEntry("dumpId", "d-1");
 * assertThat(orchestrator.find(id)).step("BackupTransfer").hasAttempts(2).isFinished();
 * }</pre>
 *
 * It can be statically imported beside {@code org.assertj.core.api.Assertions.assertThat}: these overloads are the
 * more specific ones.
 */
public final class ProrchAssertions {
    private ProrchAssertions() {
    }

    /** @return assertions on the pipeline {@code find(id)} returned; they fail if it returned empty */
    public static PipelineViewAssert assertThat(Optional<PipelineView> actual) {
        return new PipelineViewAssert(actual);
    }

    /** @return assertions on a pipeline */
    public static PipelineViewAssert assertThat(PipelineView actual) {
        return new PipelineViewAssert(Optional.ofNullable(actual));
    }

    /** @return assertions on a step */
    public static StepViewAssert assertThat(StepView actual) {
        return new StepViewAssert(actual, null);
    }
}
