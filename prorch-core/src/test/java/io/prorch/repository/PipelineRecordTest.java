package io.prorch.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a pipeline record accepts: its checks hold whichever record was made before it. */
class PipelineRecordTest {
    private static final Instant NOW = Instant.parse("2026-12-07T07:00:00Z");

    private static PipelineRecord pending(List<String> steps) {
        return PipelineRecord.pending(PipelineRecord.newId(), "Backup", steps, Map.of(), NOW);
    }

    @Test
    void blankOrMissingStepNamesAreRefusedWhateverListWasCheckedBefore() {
        List<String> valid = List.of("Dump", "Transfer");
        PipelineRecord record = pending(valid);
        assertThat(record.withCurrentStep(1).stepNames()).isSameAs(record.stepNames());

        assertThatThrownBy(() -> pending(List.of("Dump", " "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(" step names must not be blank");
        assertThatThrownBy(() -> pending(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stepNames must not be empty");
        List<String> withNull = new ArrayList<>(valid);
        withNull.add(null);
        assertThatThrownBy(() -> pending(withNull)).isInstanceOf(NullPointerException.class);
        assertThat(pending(valid).stepNames()).containsExactly("Dump", "Transfer");
    }

    @Test
    void theStepNamesAreCopiedSoTheCallersListCanChangeAfterwards() {
        List<String> mutable = new ArrayList<>(List.of("Dump"));
        PipelineRecord record = pending(mutable);
        mutable.set(0, " ");
        assertThat(record.stepNames()).containsExactly("Dump");
        assertThatThrownBy(() -> pending(mutable)).hasMessageContaining("must not be blank");
    }
}
