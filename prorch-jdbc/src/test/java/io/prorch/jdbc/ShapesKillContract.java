package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Orchestrator;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.StepView;
import io.prorch.repository.Model;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a compensation, of a fan-out and of a fan-in: an orchestrator JVM runs a
 * {@link CrashShapes} pipeline until a hook hangs at the chosen point, the test kills it with SIGKILL, and an
 * orchestrator in the test JVM takes over once the dead one's claims expire. Extended per database.
 */
abstract class ShapesKillContract {
    @TempDir
    Path dir;

    /** @return the URL of a fresh database both JVMs use (one at a time for an embedded one) */
    abstract String url();

    @Test
    @Timeout(180)
    void aCompensationKilledMidwayRunsAgainAndFinishesInReverseOrder() throws Exception {
        Path ledger = dir.resolve("ledger");
        UUID id = killAt("trip", "compensation", "IN_COMPENSATION", ledger);

        PipelineView trip = takeOver(id);

        assertThat(trip.status()).isEqualTo(Status.COMPENSATED);
        assertThat(trip.steps().stream().map(StepView::status))
                .containsExactly(Status.COMPENSATED, Status.COMPENSATED, Status.FAILED);
        List<String> lines = Files.readAllLines(ledger);
        // forward hooks ran once; the killed compensation ran again (its result was never saved), then the flight's
        assertThat(lines.subList(0, 3)).containsExactly("book flight", "book hotel", "book car");
        assertThat(Collections.frequency(lines, "refund hotel")).isGreaterThanOrEqualTo(2);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("cancel flight");
        assertThat(Collections.frequency(lines, "cancel flight")).isOne();
    }

    @Test
    @Timeout(180)
    void aFanOutKilledHalfwayStartsEachChildOnce() throws Exception {
        Path ledger = dir.resolve("ledger");
        UUID id = killAt("fan-out", "fan-out", "FANNING_OUT", ledger);

        PipelineView parent = takeOver(id);

        assertFannedIn(parent, id);
    }

    @Test
    @Timeout(180)
    void aFanInKilledWhileChildrenRunCollectsEveryChild() throws Exception {
        Path ledger = dir.resolve("ledger");
        UUID id = killAt("fan-out", "fan-in", "CHILD_RUNNING", ledger);

        PipelineView parent = takeOver(id);

        assertFannedIn(parent, id);
        List<String> lines = Files.readAllLines(ledger);
        assertThat(lines).contains("square 7", "square 8", "square 9");
        assertThat(lines.stream().filter(l -> l.startsWith("fan-in"))).containsExactly("fan-in with 10 ended");
    }

    private void assertFannedIn(PipelineView parent, UUID id) throws Exception {
        assertThat(parent.status()).isEqualTo(Status.FINISHED);
        assertThat(parent.metadata()).containsEntry("sum", 285L).containsEntry("ended", 10L);
        JdbcRepository repository = JdbcRepository.create(new Databases.UrlDataSource(url(), false));
        var children = repository.search(Model.PIPELINE, SearchFilter.all().where(SearchField.NAME, "CrashWork"));
        assertThat(children).hasSize(10).allSatisfy(c -> assertThat(c.status()).isEqualTo(Status.FINISHED));
        assertThat(children.stream().map(c -> c.metadata().get("n")).distinct()).hasSize(10);
        try (Orchestrator fresh = CrashShapes.orchestrator(repository)) {
            assertThat(children).allSatisfy(c -> assertThat(fresh.find(c.id()).orElseThrow().parentId())
                    .contains(id));
        }
    }

    /** Runs the pipeline in a child JVM until {@code marker}, then kills it with SIGKILL. */
    private UUID killAt(String pipeline, String blockAt, String marker, Path ledger) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-D" + CrashShapes.BLOCK + "=true", "-cp", System.getProperty("java.class.path"),
                CrashShapes.class.getName(), url(), pipeline, blockAt, ledger.toString())
                .redirectError(File.createTempFile("shapes-kill", ".log")).start();
        UUID id = null;
        List<String> seen = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            String line;
            while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
                seen.add(line);
                if (line.startsWith("started ")) {
                    id = UUID.fromString(line.substring("started ".length()));
                }
                if (line.equals(marker)) {
                    break;
                }
            }
        } finally {
            child.destroyForcibly();   // SIGKILL: no shutdown hook, no claim released
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(seen).as("the child JVM reached " + marker).contains(marker);
        assertThat(id).isNotNull();
        return id;
    }

    /** An orchestrator in this JVM takes the pipeline over once the dead one's claims expire. */
    private PipelineView takeOver(UUID id) throws Exception {
        JdbcRepository repository = JdbcRepository.create(new Databases.UrlDataSource(url(), false));
        try (Orchestrator fresh = CrashShapes.orchestrator(repository)) {
            fresh.startPolling(Duration.ofMillis(50));
            // the parent's wake-up may have been lost with the JVM: it looks again within Family.RECHECK (30 s)
            PipelineView view = fresh.awaitCompletion(id, Duration.ofSeconds(90));
            assertThat(view.status().isTerminal()).as("ended: %s", view).isTrue();
            return view;
        }
    }
}
