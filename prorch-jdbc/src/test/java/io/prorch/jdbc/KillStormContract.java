package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Status;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kill storm: four orchestrator JVMs with small heaps poll one database while the test kills a random one with
 * SIGKILL every few seconds and starts a replacement. 10 kills in the build; {@code -Pchaos} runs 50
 * (system property {@code prorch.chaos.kills}). Every pipeline must finish with promises 1 to 5 intact, and the same
 * storm on a store whose claims do not exclude must be caught. Mixed in: pipelines whose result is too large to save
 * (they must fail once their attempts ran out) and pipelines naming a step no JVM knows (they must be set aside with
 * their reason at a few writes each). Extended per database (top-level, so Surefire finds them).
 */
abstract class KillStormContract {
    private static final Duration CLAIM = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(200);

    private ChaosDatabase db;
    private final List<Child> children = new ArrayList<>();
    private final Set<UUID> bloated = new HashSet<>();
    private final Set<UUID> setAside = new HashSet<>();
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

        PromiseChecker.Run run = db.read();
        checkPoison(run, killed);
        PromiseChecker.Report report = PromiseChecker.check(run.without(poisoned()), Set.of(), killed,
                PromiseChecker.Excuse.NONE);
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

    /**
     * The faults mixed into the storm: pipelines whose result is too large to save must fail once their attempts ran
     * out, and pipelines naming a step no child knows must be set aside with their reason, at a few writes each.
     */
    private void checkPoison(PromiseChecker.Run run, List<PromiseChecker.Kill> killed) {
        for (UUID id : bloated) {
            PipelineRecord p = db.repository.get(Model.PIPELINE, id).orElseThrow();
            assertThat(p.status()).as("bloated " + id).isEqualTo(Status.FAILED);
            assertThat(p.lastError()).contains("maxMetadataBytes");
            long calls = run.ledger().stream().filter(e -> e.pipeline().equals(id)).count();
            assertThat(calls).as("onStart calls of bloated " + id + ": the retry policy's 5, plus one per kill")
                    .isLessThanOrEqualTo(5 + killed.size());
        }
        for (UUID id : setAside) {
            PipelineRecord p = db.repository.get(Model.PIPELINE, id).orElseThrow();
            assertThat(p.status()).as("set aside " + id).isEqualTo(Status.PENDING);
            assertThat(p.lastError()).contains("no @Step named \"Vanished\"");
            assertThat(run.ledger()).noneMatch(e -> e.pipeline().equals(id));
            long writes = run.pipelineHistory().stream().filter(w -> w.pipeline().equals(id)).count();
            assertThat(writes).as("writes to set-aside " + id + " (claim and release at 1, 2, 4, ... 60 s)")
                    .isLessThanOrEqualTo(40);
        }
    }

    private Set<UUID> poisoned() {
        Set<UUID> all = new HashSet<>(bloated);
        all.addAll(setAside);
        return all;
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
        if (!broken) {
            enqueuePoison();
        }
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
        int ending = pipelines + bloated.size();
        while (db.ended() < ending && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(killed).as("kills performed").hasSize(kills);
        assertThat(db.ended()).as("pipelines ended within " + limit).isEqualTo(ending);
        return killed;
    }

    /** Saves the poisoned pipelines: three whose first result is too large, three naming an unknown step. */
    private void enqueuePoison() {
        try (Orchestrator starter = new Orchestrator(OrchestratorConfig.builder().repository(db.repository)
                .register(ChaosSteps.Chaos.class).stepFactory(ChaosSteps.factory(db.ledger("starter"))).build())) {
            Map<String, Object> input = new HashMap<>(ChaosSteps.input(5, 20, 0));
            input.put("bloatChars", 1_100_000);
            for (int i = 0; i < 3; i++) {
                bloated.add(starter.starter(ChaosSteps.Chaos.class).inTransaction(db.repository).input(input).start());
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<String> names = List.of("ChaosA", "Vanished", "ChaosC");
        for (int i = 0; i < 3; i++) {
            PipelineRecord pipeline = PipelineRecord.pending(PipelineRecord.newId(), "Chaos", names,
                    ChaosSteps.input(5, 20, 0), now);
            List<StoredRecord> records = new ArrayList<>();
            for (int position = 0; position < names.size(); position++) {
                records.add(StepRecord.created(pipeline.id(), position, names.get(position), now));
            }
            records.add(pipeline);
            db.repository.saveAll(records);
            setAside.add(pipeline.id());
        }
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
