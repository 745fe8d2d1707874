package io.prorch.examples.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, run in-process on an H2 file database in a temporary directory. */
class BackupAutomationMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return BackupAutomationMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private List<Path> files(String sub) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(sub))) {
            return files.sorted().toList();
        }
    }

    @Test
    void runsEveryPipelineToTheEndAndStoresVerifiedBackups() throws Exception {
        // archives take long enough that the first step is still pending when the starts have run their first turn
        int code = run("--data-dir", dir.toString(), "--pipelines", "2", "--archive-ms", "200", "--poll-ms", "20");

        assertThat(code).isZero();
        assertThat(out()).contains("Starting 2 backup pipeline(s).")
                .contains("BackupGeneration: created -> pending").contains("BackupGeneration: pending -> finished")
                .contains("BackupTransfer: created -> finished").contains("is finished")
                .contains("All pipelines finished");
        List<Path> stored = files("secure-storage");
        assertThat(stored).hasSize(2);
        for (Path backup : stored) {
            assertThat(out()).contains(BackupEnvironment.sha256(backup).substring(0, 12));
            assertThat(Files.readAllBytes(backup)).isEqualTo(Files.readAllBytes(dir.resolve("backups")
                    .resolve(backup.getFileName())));
        }
        assertThat(files("notifications")).hasSize(2);
    }

    @Test
    void aSecondRunResumesWhereTheFirstStoppedWithoutRepeatingFinishedSteps() throws Exception {
        int first = run("--data-dir", dir.toString(), "--pipelines", "2", "--archive-ms", "300", "--max-passes", "1",
                "--poll-ms", "1");

        assertThat(first).isZero();
        assertThat(out()).contains("2 pipeline(s) left unfinished after 1 pass(es)");
        assertThat(files("secure-storage")).isEmpty();

        int second = run("--data-dir", dir.toString(), "--archive-ms", "50", "--poll-ms", "20");

        assertThat(second).isZero();
        assertThat(out()).contains("Resuming 2 unfinished pipeline(s)")
                .contains("resumed: [BackupGeneration=pending, BackupTransfer=created")
                .doesNotContain("Starting").doesNotContain("created -> pending")
                .contains("All pipelines finished");
        assertThat(files("secure-storage")).hasSize(2);

        int third = run("--data-dir", dir.toString(), "--pipelines", "1", "--archive-ms", "10", "--poll-ms", "10");
        assertThat(third).isZero();
        assertThat(out()).contains("Starting 1 backup pipeline(s).");
    }

    @Test
    void withMetricsItPrintsTheMicrometerMetersAtTheEnd() {
        int code = run("--data-dir", dir.toString(), "--pipelines", "2", "--archive-ms", "50", "--poll-ms", "20",
                "--metrics");

        assertThat(code).isZero();
        assertThat(out()).contains("All pipelines finished").contains("Meters:")
                .containsPattern("prorch\\.transitions\\(COUNTER\\)\\[pipeline='BackupAutomationPipeline',"
                        + " step='none', type='pipeline_finished'\\]; count=2\\.0")
                .contains("prorch.hook.duration(TIMER)[hook='onStart', outcome=")
                .contains("prorch.commits(DISTRIBUTION_SUMMARY)[committed='true']");
    }

    @Test
    void badArgumentsGetOneLineAndExitCode2() {
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err()).isEqualTo("error: unknown option --frobnicate (see --help)" + System.lineSeparator());

        assertThat(run("--pipelines", "many")).isEqualTo(2);
        assertThat(err()).contains("--pipelines needs a whole number, not \"many\"");

        assertThat(run("--max-passes")).isEqualTo(2);
        assertThat(err()).contains("--max-passes needs a value");

        assertThat(run("--help")).isZero();
        assertThat(out()).contains("Usage: java -jar prorch-examples/target/prorch-examples.jar");
    }

    @Test
    void anUnreachableDatabaseOrUnwritableDirectoryIsOneLineAndExitCode1() throws Exception {
        int code = run("--data-dir", dir.toString(), "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none");

        assertThat(code).isEqualTo(1);
        assertThat(err()).startsWith("error: cannot connect to jdbc:postgresql://127.0.0.1:1/none")
                .doesNotContain("\tat ");
        assertThat(err().lines().count()).isEqualTo(1);

        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        assertThat(run("--data-dir", file.toString())).isEqualTo(1);
        assertThat(err()).startsWith("error: cannot use data directory " + file);
    }
}
