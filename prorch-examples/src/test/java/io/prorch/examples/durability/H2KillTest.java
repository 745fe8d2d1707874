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
 * (as with kill -9). The same check run on H2's default write delay must see the loss.
 */
class H2KillTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void committedTransitionsSurviveAKilledJvmWithTheExamplesEmbeddedSettings() throws Exception {
        String url = BackupAutomationMain.embeddedUrl(dir);

        List<UUID> reported = runAndKill(url);

        assertThat(reported).hasSize(20);
        assertThat(statusesAfterRestart(url, reported)).hasSize(20).containsOnly(Status.FINISHED);
    }

    @Test
    @Timeout(120)
    void theSameCheckSeesTheLossWithH2sDefaultWriteDelay() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("default");

        List<UUID> reported = runAndKill(url);

        assertThat(reported).isNotEmpty();
        long kept = statusesAfterRestart(url, reported).stream().filter(Status.FINISHED::equals).count();
        assertThat(kept).as("H2's default delays writes; an immediate kill must lose something")
                .isLessThan(reported.size());
    }

    private static List<UUID> runAndKill(String url) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), KilledOrchestratorMain.class.getName(), url)
                .redirectError(File.createTempFile("killed-orchestrator", ".log")).start();
        try {
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("child finished").isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return out.lines().filter(l -> l.startsWith("finished ")).map(l -> UUID.fromString(l.substring(9)))
                    .toList();
        } finally {
            child.destroyForcibly();
        }
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
