package io.prorch.examples.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The schedules-and-limits example end to end on H2: one report per tick, never more than two exports at once. */
class ScheduleMainTest {
    @Test
    @Timeout(90)
    void oneReportPerTickAndTwoExportsAtMost() throws Exception {
        assertThat(ScheduleMain.run()).isTrue();
        assertThat(ScheduleMain.MOST.get()).isBetween(1, 2);
    }
}
