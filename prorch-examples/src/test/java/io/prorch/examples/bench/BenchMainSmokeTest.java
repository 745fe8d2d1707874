package io.prorch.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the benchmark from rotting: each mode runs end to end with tiny sizes on H2. No figure is asserted. */
class BenchMainSmokeTest {
    @TempDir
    Path dir;

    @Test
    void peersWorkloadPrintsAnOkResultLineWithoutViolations() {
        String line = BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--n", "40", "--warmup", "10",
                "--timeout", "60");

        assertThat(line).startsWith("RESULT\tsystem=prorch\tdb=h2\tconfig=prorch").contains("\tn=40\t")
                .contains("\tcompleted=40\t").contains("\tviolations=0\t").endsWith("\tstatus=OK\tsubmitters=1");
    }

    @Test
    void manySubmittersShareTheStartsAndEveryProcessRunsOnce() {
        String line = BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--n", "80", "--warmup", "16",
                "--timeout", "60", "--submitters", "8");

        assertThat(line).contains("\tcompleted=80\t").contains("\tviolations=0\t")
                .endsWith("\tstatus=OK\tsubmitters=8");
        assertThat(BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--submitters", "0"))
                .contains("status=ERROR java.lang.IllegalArgumentException: --submitters must be at least 1, but"
                        + " was 0");
    }

    @Test
    void otherModesRunToTheEnd() {
        assertThat(BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--mode", "services", "--n", "20",
                "--warmup", "5", "--submitters", "2", "--workers", "2")).contains("status=OK", "completed=20", "failed=0",
                "warmup=5");
        assertThat(BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--mode", "backlog", "--pipelines", "200"))
                .contains("completed=200").contains("violations=0").endsWith("status=OK");
        assertThat(BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--mode", "history", "--history", "100",
                "--due", "20", "--passes", "2")).contains("pass_ms_median=").endsWith("status=OK");
        assertThat(BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--mode", "idle", "--pipelines", "100",
                "--passes", "2")).contains("pass_ms_median=").endsWith("status=OK");
        assertThat(BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--mode", "starts", "--n", "40",
                "--warmup", "10")).contains("\tsaved=50\t").contains("start_p50_ms=").endsWith("status=OK");
    }

    @Test
    void storeModeRunsThePeersWorkloadWithoutTheEngine() {
        String line = BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--mode", "store", "--n", "40",
                "--warmup", "10", "--timeout", "60");

        assertThat(line).contains("config=prorch store alone").contains("\tcompleted=40\t").contains("\tviolations=0\t")
                .endsWith("\tstatus=OK\tsubmitters=1");
    }

    @Test
    void storeModeWithoutWorkersIsAnErrorLineInsteadOfATimeout() {
        assertThat(BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--mode", "store", "--workers", "0"))
                .endsWith("status=ERROR java.lang.IllegalArgumentException: --workers must be at least 1, but was 0");
    }

    @Test
    void signalsModeWakesEveryPipelineOnceAndLeavesNoSignalPending() {
        String line = BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--mode", "signals", "--n", "40",
                "--timeout", "60");

        assertThat(line).contains("config=prorch signals in one JVM").contains("\tn=40\t").contains("wake_p50_ms=")
                .contains("\tcompleted=40\t").contains("\tlost=0\t").contains("\tduplicates=0\t")
                .endsWith("\tstatus=OK\tsubmitters=1");
        assertThat(BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--mode", "signals", "--n", "40",
                "--submitters", "4", "--timeout", "60")).contains("\tlost=0\t").contains("\tduplicates=0\t")
                .endsWith("\tstatus=OK\tsubmitters=4");
        assertThat(BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--mode", "signals", "--signal-jvm"))
                .endsWith("status=ERROR java.lang.IllegalArgumentException: --signal-jvm needs --db pg: an H2 file is"
                        + " opened by one process");
    }

    @Test
    void anUnknownModeIsAnErrorLineNamingTheModes() {
        assertThat(BenchMain.run("--db", "h2", "--h2-dir", dir.toString(), "--mode", "drain"))
                .startsWith("RESULT\tsystem=prorch\tdb=h2\t")
                .endsWith("status=ERROR java.lang.IllegalArgumentException: --mode must be peers, backlog, history,"
                        + " idle, starts, store, signals, kafka, query or services");
    }
}
