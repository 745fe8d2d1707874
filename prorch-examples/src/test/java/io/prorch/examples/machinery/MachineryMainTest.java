package io.prorch.examples.machinery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** machinery's example end to end over loopback HTTP on H2, and its chaos mode with a killed orchestrator JVM. */
class MachineryMainTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void theSeedsEventFinishesWithTheReversedUpperCaseMessageAndSevenSpaces() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertThat(MachineryMain.run(null, dir, new PrintStream(printed, true, StandardCharsets.UTF_8))).isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("status pending", "status finished",
                "\"! GNINROM EHT NI ESIR LLIW NUS EHT\"", "\"space_count\" : 7");
    }

    @Test
    @Timeout(300)
    void everyEventFinishesRightThroughA503StormAndAKilledOrchestratorWithNoRequestAppliedTwice() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        boolean ok = MachineryMain.ChaosRun.run(null, 40, dir, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(ok).as(out).isTrue();
        assertThat(out).contains("kill -9 the orchestrator", "40 of 40 events finished with the right outputs",
                "keys applied twice 0");
    }
}
