package io.prorch.test;

import static io.prorch.test.ProrchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.StepView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every assertion passes on a matching view, and its failure names the pipeline, the step and what was found. */
class ProrchAssertionsTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final UUID ID = UUID.fromString("7f000000-0000-0000-0000-000000000001");

    private static final StepView GENERATION = new StepView(UUID.randomUUID(), "BackupGeneration", 0,
            Status.FINISHED, Map.of("dumpId", "d-1"), 0, null, T, T);
    private static final StepView TRANSFER = new StepView(UUID.randomUUID(), "BackupTransfer", 1, Status.FAILED,
            Map.of("tries", 3L), 3, "java.io.IOException: network down", T, T);
    private static final PipelineView FAILED = new PipelineView(ID, "BackupPipeline", Status.FAILED, 1,
            List.of(GENERATION, TRANSFER), Map.of("database", "orders", "size", 42L), "java.io.IOException: network down",
            null, null, T, T, 3);
    private static final PipelineView PENDING = new PipelineView(ID, "BackupPipeline", Status.PENDING, 0,
            List.of(new StepView(GENERATION.id(), "BackupGeneration", 0, Status.PENDING, Map.of(), 0, null, T, T)), Map.of(), null, T, null, T, T, 1);

    @Test
    void passesOnWhatItFinds() {
        assertThat(Optional.of(FAILED)).exists().isFailed().hasLastErrorContaining("network down")
                .hasMetadataEntry("database", "orders").hasMetadataEntry("size", 42);
        assertThat(FAILED).step("BackupTransfer").isFailed().hasAttempts(3).hasLastErrorContaining("network")
                .hasMetadataEntry("tries", 3);
        assertThat(FAILED).step("BackupGeneration").isFinished().hasAttempts(0).hasMetadataEntry("dumpId", "d-1");
        assertThat(PENDING).isPending().step("BackupGeneration").isPending();
        assertThat(GENERATION).isFinished();
    }

    @Test
    void statusFailuresNameThePipelineAndItsCurrentStep() {
        assertThatThrownBy(() -> assertThat(FAILED).isFinished()).isInstanceOf(AssertionError.class)
                .hasMessage("Expecting pipeline BackupPipeline " + ID + " to be finished, but it is failed at step 1"
                        + " \"BackupTransfer\" (failed, 3 failed attempts, last error: java.io.IOException: network"
                        + " down), last error: java.io.IOException: network down");
        assertThatThrownBy(() -> assertThat(FAILED).isPending())
                .hasMessageContaining("BackupPipeline " + ID + " to be pending, but it is failed");
        assertThatThrownBy(() -> assertThat(FAILED).isCancelled())
                .hasMessageContaining("to be cancelled, but it is failed");
        assertThatThrownBy(() -> assertThat(PENDING).isFailed())
                .hasMessageContaining("to be failed, but it is pending at step 0 \"BackupGeneration\" (pending, 0"
                        + " failed attempts), due " + T);
    }

    @Test
    void aMissingPipelineSaysFindReturnedEmpty() {
        assertThatThrownBy(() -> assertThat(Optional.<PipelineView>empty()).isFinished())
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expecting a pipeline, but there is none (find(id) returned Optional.empty)");
        assertThatThrownBy(() -> assertThat(Optional.<PipelineView>empty()).exists())
                .hasMessageContaining("returned Optional.empty");
    }

    @Test
    void lastErrorFailuresShowTheErrorFound() {
        assertThatThrownBy(() -> assertThat(FAILED).hasLastErrorContaining("disk full"))
                .hasMessage("Expecting pipeline BackupPipeline " + ID + " to have a last error containing \"disk"
                        + " full\", but it is \"java.io.IOException: network down\" (failed)");
        assertThatThrownBy(() -> assertThat(PENDING).hasLastErrorContaining("disk full"))
                .hasMessageContaining("containing \"disk full\", but it has none (pending)");
        assertThatThrownBy(() -> assertThat(FAILED).step("BackupGeneration").hasLastErrorContaining("x"))
                .hasMessage("Expecting step \"BackupGeneration\" of pipeline BackupPipeline " + ID + " to have a last"
                        + " error containing \"x\", but it has none (finished)");
    }

    @Test
    void metadataFailuresShowTheValueOrTheKeys() {
        assertThatThrownBy(() -> assertThat(FAILED).hasMetadataEntry("database", "users"))
                .hasMessage("Expecting pipeline BackupPipeline " + ID + " to have metadata \"database\" = \"users\","
                        + " but it is \"orders\"");
        assertThatThrownBy(() -> assertThat(FAILED).hasMetadataEntry("table", "t"))
                .hasMessageContaining("to have metadata \"table\" = \"t\", but it has no key \"table\"; its keys are")
                .hasMessageContaining("database");
        assertThatThrownBy(() -> assertThat(FAILED).step("BackupTransfer").hasMetadataEntry("tries", 2))
                .hasMessage("Expecting step \"BackupTransfer\" of pipeline BackupPipeline " + ID + " to have metadata"
                        + " \"tries\" = 2, but it is 3");
    }

    @Test
    void stepFailuresNameTheStepThePipelineAndWhatWasFound() {
        assertThatThrownBy(() -> assertThat(FAILED).step("BackupTransfer").hasAttempts(2))
                .hasMessage("Expecting step \"BackupTransfer\" of pipeline BackupPipeline " + ID + " to have 2 failed"
                        + " attempts, but it has 3 (failed, 3 failed attempts, last error: java.io.IOException:"
                        + " network down)");
        assertThatThrownBy(() -> assertThat(FAILED).step("BackupTransfer").isFinished())
                .hasMessageContaining("step \"BackupTransfer\" of pipeline BackupPipeline " + ID + " to be finished,"
                        + " but it is failed");
        assertThatThrownBy(() -> assertThat(FAILED).step("BackupGeneration").isCancelled())
                .hasMessageContaining("to be cancelled, but it is finished");
        assertThatThrownBy(() -> assertThat(FAILED).step("BackupGeneration").isCreated())
                .hasMessageContaining("to be created, but it is finished");
        assertThatThrownBy(() -> assertThat(GENERATION).isPending())
                .hasMessage("Expecting step \"BackupGeneration\" to be pending, but it is finished, 0 failed attempts");
    }

    @Test
    void anUnknownStepListsTheStepsThePipelineHas() {
        assertThatThrownBy(() -> assertThat(FAILED).step("Notify"))
                .hasMessage("Expecting pipeline BackupPipeline " + ID + " to have a step \"Notify\", but its steps"
                        + " are [BackupGeneration, BackupTransfer]");
    }
}
