package io.prorch.examples.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fan-out example end to end on H2: 50 children answer and the parent picks the cheapest quote. */
class FanOutMainTest {
    @Test
    @Timeout(120)
    void fiftyChildrenAnswerAndTheParentPicksTheCheapest() throws Exception {
        assertThat(FanOutMain.run(null, 50)).isTrue();
    }
}
