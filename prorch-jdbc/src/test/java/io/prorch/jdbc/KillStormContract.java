package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kill storm: four orchestrator JVMs with small heaps poll one database while the test kills a random one with
 * SIGKILL every few seconds and starts a replacement. 10 kills in the build; {@code -Pchaos} runs 50
 * (system property {@code prorch.chaos.kills}). Every pipeline must finish with promises 1 to 5 intact, and the same
 * storm on a store whose claims do not exclude must be caught. Extended per database (top-level, so Surefire finds
 * them).
 */
abstract class KillStormContract {
    private static final Duration CLAIM = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(200);

    private ChaosDatabase db;
    private final List<Child> children = new ArrayList<>();
    private int generation;

    private record Child(String id, Process process) {
    }

    /** @return a fresh chaos database */
    abstract ChaosDatabase newDatabase();

    @BeforeEach
    void setUp() {
        db = newDatabase();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Child child : children) {
            child.process().destroyForcibly();
            child.process().waitFor(10, TimeUnit.SECONDS);
        }
        db.close();
    }

    @Test
    @Timeout(600)
    void everyPipelineFinishesAndThePromisesHoldWhileJvmsAreKilled() throws Exception {
        long seed = ChaosSeed.pick("kill storm");
        int kills = Integer.getInteger("prorch.chaos.kills", 10);
        int pipelines = Math.max(200, 20 * kills);

        List<PromiseChecker.Kill> killed = storm(seed, pipelines, kills, false, Duration.ofSeconds(60 + 6L * kills));

        PromiseChecker.Report report = PromiseChecker.check(db.read(), Set.of(), killed, PromiseChecker.Excuse.NONE);
        System.out.println("[chaos] kill storm: " + killed.size() + " kills, " + pipelines + " pipelines, "
                + report.describe());
        assertThat(report.violations()).isEmpty();
        assertThat(report.repeats()).as("extra hook runs: at most one per hook call a kill could have cut off")
                .isLessThanOrEqualTo(report.exposed());
        Duration bound = CLAIM.plus(POLL).plusSeconds(3);
        assertThat(report.takeovers()).as("promise 4: claim duration + poll interval (+3 s for a loaded machine)")
                .allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(bound));
    }

    @Test
    @Timeout(180)
    void theSameStormOnAStoreWhoseClaimsDoNotExcludeIsCaught() throws Exception {
        long seed = ChaosSeed.pick("kill storm, broken store");

        List<PromiseChecker.Kill> killed = storm(seed, 40, 1, true, Duration.ofSeconds(60));

        PromiseChecker.Report report = PromiseChecker.check(db.read(), Set.of(), killed, PromiseChecker.Excuse.NONE);
        System.out.println("[chaos] kill storm on a broken store: " + report.describe());
        assertThat(report.violations()).isNotEmpty();
    }

    /** Enqueues the pipelines, runs four children, kills {@code kills} of them at random, waits until all ended. */
    private List<PromiseChecker.Kill> storm(long seed, int pipelines, int kills, boolean broken, Duration limit)
            throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < 4; i++) {
            children.add(launch(broken));
        }
        // pipelines arrive over the first part of the storm, at a rate the four JVMs can keep up with
        Thread enqueuer = new Thread(() -> enqueue(pipelines, new Random(seed + 1)), "chaos-enqueuer");
        enqueuer.start();
        List<PromiseChecker.Kill> killed = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (killed.size() < kills && System.nanoTime() < deadline) {
            Thread.sleep(1_500 + random.nextInt(1_500));
            Child victim = children.remove(random.nextInt(children.size()));
            victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, no graceful close
            victim.process().waitFor(10, TimeUnit.SECONDS);
            killed.add(new PromiseChecker.Kill(victim.id(), db.now()));
            children.add(launch(broken));
        }
        enqueuer.join(limit.toMillis());
        while (db.ended() < pipelines && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(killed).as("kills performed").hasSize(kills);
        assertThat(db.ended()).as("pipelines ended within " + limit).isEqualTo(pipelines);
        return killed;
    }

    /** Saves the pipelines unclaimed and due, ten a second: the children do all the work. */
    private void enqueue(int pipelines, Random random) {
        try (Orchestrator starter = new Orchestrator(OrchestratorConfig.builder().repository(db.repository)
                .register(ChaosSteps.Chaos.class).stepFactory(ChaosSteps.factory(db.ledger("starter"))).build())) {
            for (int i = 0; i < pipelines; i++) {
                starter.starter(ChaosSteps.Chaos.class).inTransaction(db.repository)
                        .input(ChaosSteps.input(50, 500, random.nextInt(5) == 0 ? 300 : 0)).start();
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Child launch(boolean broken) throws Exception {
        String id = "jvm-" + (++generation);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ChaosOrchestratorMain.class.getName(), db.url(), db.schema, id, String.valueOf(CLAIM.toMillis()),
                String.valueOf(POLL.toMillis()), "300", String.valueOf(broken))
                .redirectError(File.createTempFile("prorch-" + id + "-", ".log")).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as(id + " started").isEqualTo("ready " + id);
        return new Child(id, process);
    }
}
