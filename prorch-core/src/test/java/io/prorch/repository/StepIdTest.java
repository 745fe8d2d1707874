package io.prorch.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link StepRecord#idOf}: stable, distinct per position, and next to its pipeline for time-ordered ids. */
class StepIdTest {
    private static final UUID TIME_ORDERED = UUID.fromString("019ad9c4-5e00-7abc-8123-456789ab0000");
    private static final UUID RANDOM = UUID.fromString("3f2b8e1c-9d4a-4c7e-8a1b-2c3d4e5f6a7b");

    @Test
    void aTimeOrderedPipelineIdKeepsItsHighBitsAndTakesThePositionInItsLowest() {
        assertThat(StepRecord.idOf(TIME_ORDERED, 0)).isEqualTo(UUID.fromString("019ad9c4-5e00-7abc-8123-456789ab0001"));
        assertThat(StepRecord.idOf(TIME_ORDERED, 2)).isEqualTo(UUID.fromString("019ad9c4-5e00-7abc-8123-456789ab0003"));
        assertThat(StepRecord.idOf(TIME_ORDERED, 65_534))
                .isEqualTo(UUID.fromString("019ad9c4-5e00-7abc-8123-456789abffff"));
    }

    @Test
    void otherPipelineIdsKeepTheNameBasedStepIdsEarlierVersionsStored() {
        // the value stored by every earlier version for this pipeline's third step: it must never change
        assertThat(StepRecord.idOf(RANDOM, 2)).isEqualTo(UUID.fromString("eea75073-748b-31a3-84b7-ed97120243c1"));
    }

    @Test
    void everyPositionGetsItsOwnIdAndNoneIsThePipelinesOwn() {
        for (UUID pipeline : new UUID[] {TIME_ORDERED, RANDOM}) {
            Set<UUID> ids = new HashSet<>();
            for (int position = 0; position < 70_000; position += 7) {
                ids.add(StepRecord.idOf(pipeline, position));
            }
            assertThat(ids).hasSize(10_000).doesNotContain(pipeline);
        }
    }

    @Test
    void stepsOfTwoPipelinesMadeByTheOrchestratorNeverCollide() {
        UUID neighbour = new UUID(TIME_ORDERED.getMostSignificantBits(), TIME_ORDERED.getLeastSignificantBits() + 0x10000);
        Set<UUID> ids = new HashSet<>();
        for (int position = 0; position < 65_535; position++) {
            ids.add(StepRecord.idOf(TIME_ORDERED, position));
            ids.add(StepRecord.idOf(neighbour, position));
        }
        assertThat(ids).hasSize(2 * 65_535);
    }

    @Test
    void newPipelineIdsAreTimeOrderedAndTheirStepsSortBetweenThemAndTheNextOne() {
        UUID first = PipelineRecord.newId();
        UUID second = PipelineRecord.newId();

        assertThat(first.version()).isEqualTo(7);
        assertThat(first).isLessThan(second);
        assertThat(StepRecord.idOf(first, 0)).isGreaterThan(first).isLessThan(second);
        assertThat(StepRecord.idOf(first, 9)).isGreaterThan(StepRecord.idOf(first, 8)).isLessThan(second);
    }

    @Test
    void refusesANullIdAndANegativePosition() {
        assertThatThrownBy(() -> StepRecord.idOf(null, 0)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("pipelineId");
        assertThatThrownBy(() -> StepRecord.idOf(TIME_ORDERED, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position must not be negative, but was -1");
    }
}
