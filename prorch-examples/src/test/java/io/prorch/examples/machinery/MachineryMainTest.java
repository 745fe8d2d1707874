package io.prorch.examples.machinery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * machinery's example end to end over loopback HTTP on H2, and its chaos mode with a killed orchestrator JVM. The
 * chaos runs print to the test's output as they go (surefire keeps it in the report's {@code -output.txt}), so a run
 * that a timeout cuts short still tells what it was doing.
 */
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

        // a budget under the timeout: a run that cannot finish stops and says why instead of being cut short
        boolean ok = ChaosRun.run(null, 40, dir, tee(printed), Duration.ofSeconds(240), (stage, child) -> { });

        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(ok).as(out).isTrue();
        assertThat(out).contains("kill -9 the orchestrator", "40 of 40 events finished with the right outputs",
                "keys applied twice 0");
    }

    @Test
    @Timeout(120)
    void aChaosRunWhoseOrchestratorDiesUnplannedStopsAtOnceAndShowsEachEventLeftInTheStore() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        long began = System.nanoTime();

        // the restarted orchestrator dies too once every event is accepted: each event was then awaited for 2 minutes
        boolean ok = ChaosRun.run(null, 6, dir, tee(printed), Duration.ofSeconds(100), (stage, child) -> {
            if (stage == ChaosRun.Stage.ACCEPTED) {
                kill(child);
            }
        });

        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(ok).as(out).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).as(out).isLessThan(Duration.ofSeconds(60));
        assertThat(out).contains("chaos run stopped after", "exited with code", "died with",
                "accepted events were not seen ended", "): last answer {request-failed=", "pipeline pending, due ",
                ", claim ", "lines of " + dir.resolve("orchestrator.log"));
    }

    private static void kill(OrchestratorProcess child) {
        try {
            child.kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return a stream printing to the test's output and to {@code printed} */
    private static PrintStream tee(ByteArrayOutputStream printed) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                printed.write(b);
                System.out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                printed.write(b, off, len);
                System.out.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
    }
}
