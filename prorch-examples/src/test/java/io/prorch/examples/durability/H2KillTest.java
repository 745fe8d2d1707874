package io.prorch.examples.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Status;
import io.prorch.examples.backup.BackupAutomationMain;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default keeps its word: a transition the store reported committed survives a JVM that dies at once
 * (as with kill -9). The same check on an H2 that delays writes must see the loss.
 */
class H2KillTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void committedTransitionsSurviveAKilledJvmWithTheExamplesEmbeddedSettings() throws Exception {
        String url = BackupAutomationMain.embeddedUrl(dir);

        Committed reported = runAndKill(url);

        assertThat(reported.finished()).hasSize(20);
        assertThat(statusesAfterRestart(url, reported.finished())).hasSize(20).containsOnly(Status.FINISHED);
        assertThat(statusesAfterRestart(url, reported.lastStarted())).hasSize(5);
    }

    @Test
    @Timeout(120)
    void theSameCheckSeesTheLossWhenH2DelaysWrites() throws Exception {
        // H2's default delays writes by 500 ms; 2 s makes the window certain on a slow machine
        String url = "jdbc:h2:file:" + dir.resolve("delayed") + ";WRITE_DELAY=2000";

        Committed reported = runAndKill(url);

        assertThat(reported.lastStarted()).hasSize(5);
        assertThat(statusesAfterRestart(url, reported.lastStarted()))
                .as("commits made just before the kill are lost when H2 delays writes").hasSizeLessThan(5);
    }

    /** What the child reported committed: pipelines it saw finished, and the ones started right before dying. */
    private record Committed(List<UUID> finished, List<UUID> lastStarted) {
    }

    private static Committed runAndKill(String url) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), KilledOrchestratorMain.class.getName(), url)
                .redirectError(File.createTempFile("killed-orchestrator", ".log")).start();
        try {
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("child finished").isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Committed(ids(out, "finished "), ids(out, "started "));
        } finally {
            child.destroyForcibly();
        }
    }

    private static List<UUID> ids(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).map(l -> UUID.fromString(l.substring(prefix.length())))
                .toList();
    }

    /** @return the stored status of each of {@code ids} that survived, reading the database as a restart would */
    private static List<Status> statusesAfterRestart(String url, List<UUID> ids) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("sa");
        try {
            return JdbcRepository.create(dataSource).getAll(Model.PIPELINE, ids).stream().map(PipelineRecord::status)
                    .toList();
        } catch (RuntimeException e) {
            return List.of(); // the tables themselves were lost
        }
    }
}
