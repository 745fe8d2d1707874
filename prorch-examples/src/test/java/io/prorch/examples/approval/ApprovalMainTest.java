package io.prorch.examples.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The approval example end to end on H2: every review is read exactly once, including those sent before their step
 * waited and those that arrive while the run that will wait is ending (the race that left a claimed pipeline with no
 * run until its claim expired).
 */
class ApprovalMainTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void eighteenApprovedOneRejectedOneTimedOutNoneLostNoneTwice() throws Exception {
        for (int run = 0; run < 2; run++) {
            assertThat(ApprovalMain.run(null, 20, dir.resolve("run-" + run))).as("run " + run).isTrue();
        }
    }
}
