package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.repository.Model;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.SignalNotice;
import io.prorch.repository.SignalRecord;
import io.prorch.repository.StepRecord;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Signals across orchestrators on PostgreSQL: a send through one orchestrator wakes a step another one runs through
 * {@code LISTEN/NOTIFY}, long before that one's next poll (30 s); and signals saved by a JVM killed before its steps
 * consumed them are delivered exactly once by a fresh orchestrator.
 */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
class PostgresSignalWakeTest {
    private static final Duration LONG_POLL = Duration.ofSeconds(30);
    private static final long WAKE_BOUND_MILLIS = 5_000;

    private String schema;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<Process> children = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createSchema() {
        schema = Databases.createPostgresSchema();
        SignalChildMain.READS.clear();
        SignalChildMain.hang = false;
    }

    @AfterEach
    void cleanUp() {
        children.forEach(Process::destroyForcibly);
        pools.forEach(HikariDataSource::close);
        Databases.dropPostgresSchema(schema);
    }

    private String url() {
        return Databases.POSTGRES_URL + (Databases.POSTGRES_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** @return a repository on a pool of its own: orchestrators that share nothing but the database */
    private JdbcRepository repository() {
        HikariDataSource pool = ChaosDatabase.pool(url(), 4);
        pools.add(pool);
        return JdbcRepository.builder().dataSource(pool).schema(schema).build();
    }

    @Test
    @Timeout(60)
    void aNoticeNamesThePipelineAndTheSignalSoTheWakeNeedsNoSearch() throws Exception {
        JdbcRepository listening = repository();
        JdbcRepository sendingStore = repository();
        java.util.concurrent.BlockingQueue<SignalNotice> notices = new java.util.concurrent.LinkedBlockingQueue<>();
        try (Orchestrator sending = new Orchestrator(OrchestratorConfig.builder().repository(sendingStore)
                .register(SignalChildMain.Signalled.class).orchestratorId("sending").build());
             AutoCloseable subscription = listening.subscribe(notices::add)) {
            UUID id = sending.start(SignalChildMain.Signalled.class, Map.of());
            sending.signal(id, "go: with a colon", Map.of());

            assertThat(notices.poll(WAKE_BOUND_MILLIS, TimeUnit.MILLISECONDS))
                    .isEqualTo(new SignalNotice(id, "go: with a colon"));
        }
    }

    @Test
    @Timeout(60)
    void aSignalSentThroughAnotherOrchestratorWakesTheStepWithinMillisecondsNotAtTheNextPoll() throws Exception {
        JdbcRepository waitingStore = repository();
        JdbcRepository sendingStore = repository();
        try (Orchestrator waiting = new Orchestrator(OrchestratorConfig.builder().repository(waitingStore)
                .register(SignalChildMain.Signalled.class).orchestratorId("waiting").build());
             Orchestrator sending = new Orchestrator(OrchestratorConfig.builder().repository(sendingStore)
                     .register(SignalChildMain.Signalled.class).orchestratorId("sending").build())) {
            UUID id = waiting.start(SignalChildMain.Signalled.class, Map.of());
            assertThat(waiting.awaitIdle(Duration.ofSeconds(10))).isTrue();
            waiting.startPolling(LONG_POLL);   // its first poll runs now, the next in 30 s: only a notice can wake it
            Thread.sleep(300);

            long sent = System.nanoTime();
            sending.signal(id, "go", Map.of("by", "alice"));
            PipelineView done = waiting.awaitCompletion(id, Duration.ofMillis(WAKE_BOUND_MILLIS));
            long wokeMillis = (System.nanoTime() - sent) / 1_000_000;

            System.out.println("cross-orchestrator wake took " + wokeMillis + " ms");
            assertThat(done.status()).isEqualTo(Status.FINISHED);
            assertThat(wokeMillis).isLessThan(WAKE_BOUND_MILLIS);
            assertThat(SignalChildMain.READS.get(id)).hasValue(1);
            assertThat(stepOf(waitingStore, id).metadata()).containsEntry("by", "alice");
        }
    }

    @Test
    @Timeout(90)
    void aChildJvmHoldingTheStepsIsWokenBySignalsSentFromThisJvm() throws Exception {
        JdbcRepository store = repository();   // creates the tables before the child starts
        Child child = launch("hold", 5, 30_000);
        try (Orchestrator sending = new Orchestrator(OrchestratorConfig.builder().repository(store)
                .register(SignalChildMain.Signalled.class).orchestratorId("test-jvm").build())) {
            long sent = System.nanoTime();
            for (UUID id : child.ids) {
                sending.signal(id, "go", Map.of("by", "test-" + id));
            }
            List<String> woke = new ArrayList<>();
            while (woke.size() < child.ids.size()) {
                String line = child.out.readLine();
                assertThat(line).as("the child's output after " + woke).isNotNull();
                if (line.startsWith("woke ")) {
                    woke.add(line.substring(5));
                }
            }
            long tookMillis = (System.nanoTime() - sent) / 1_000_000;
            System.out.println("5 steps in the child JVM woken in " + tookMillis + " ms");
            assertThat(tookMillis).as("woken by notices, not by the child's poll every 30 s")
                    .isLessThan(WAKE_BOUND_MILLIS);
            assertThat(woke).containsExactlyInAnyOrderElementsOf(child.ids.stream().map(UUID::toString).toList());
            for (UUID id : child.ids) {
                assertThat(awaitStatus(store, id, Status.FINISHED)).isTrue();
                assertThat(stepOf(store, id).metadata()).containsEntry("by", "test-" + id);
                assertThat(signalsOf(store, id)).singleElement()
                        .satisfies(s -> assertThat(s.status()).isEqualTo(Status.FINISHED));
            }
            assertThat(SignalChildMain.READS).as("no step ran in this JVM").isEmpty();
        }
    }

    @Test
    @Timeout(90)
    void signalsSentWhileAChildJvmHoldsTheClaimsAreFoundWhenItReleasesThem() throws Exception {
        JdbcRepository store = repository();
        Child child = launch("busy", 4, 30_000);
        try (Orchestrator sending = new Orchestrator(OrchestratorConfig.builder().repository(store)
                .register(SignalChildMain.Signalled.class).orchestratorId("test-jvm").build())) {
            for (UUID id : child.ids) {
                assertThat(store.get(Model.PIPELINE, id).orElseThrow().claimOwner()).as("held while onStart runs")
                        .isEqualTo("child-busy");
                sending.signal(id, "go", Map.of("by", "test-" + id));
            }
            int woke = 0;
            while (woke < child.ids.size()) {
                String line = child.out.readLine();
                assertThat(line).as("the child's output").isNotNull();
                woke += line.startsWith("woke ") ? 1 : 0;
            }
            for (UUID id : child.ids) {
                assertThat(awaitStatus(store, id, Status.FINISHED)).isTrue();
                assertThat(stepOf(store, id).metadata()).containsEntry("by", "test-" + id);
                assertThat(signalsOf(store, id)).singleElement()
                        .satisfies(s -> assertThat(s.status()).isEqualTo(Status.FINISHED));
            }
        }
    }

    @Test
    @Timeout(120)
    void signalsSavedByAJvmKilledBeforeItsStepsConsumedThemAreDeliveredOnceByAFreshOrchestrator() throws Exception {
        JdbcRepository store = repository();
        int n = 12;
        Child child = launch("kill", n, 2_000);
        boolean sentAll = false;
        int read = 0;
        while (!sentAll || read == 0) {
            String line = child.out.readLine();
            assertThat(line).as("the child's output").isNotNull();
            sentAll |= line.equals("sent");
            read += line.startsWith("read ") ? 1 : 0;
        }
        child.process.destroyForcibly();   // SIGKILL: its hooks read signals but never committed their transitions
        assertThat(child.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        for (UUID id : child.ids) {
            assertThat(signalsOf(store, id)).as("saved before the kill").singleElement()
                    .satisfies(s -> assertThat(s.status()).isEqualTo(Status.PENDING));
        }

        try (Orchestrator fresh = new Orchestrator(OrchestratorConfig.builder().repository(store)
                .register(SignalChildMain.Signalled.class).orchestratorId("fresh").build())) {
            fresh.startPolling(Duration.ofMillis(200));
            for (UUID id : child.ids) {
                assertThat(fresh.awaitCompletion(id, Duration.ofSeconds(30)).status()).isEqualTo(Status.FINISHED);
            }
        }
        for (int i = 0; i < n; i++) {
            UUID id = child.ids.get(i);
            assertThat(SignalChildMain.READS.get(id)).as("read once here: " + id).hasValue(1);
            assertThat(stepOf(store, id).metadata()).containsEntry("by", "child-" + i);
            assertThat(signalsOf(store, id)).singleElement().satisfies(s -> {
                assertThat(s.status()).isEqualTo(Status.FINISHED);
                assertThat(s.consumedByStep()).isZero();
            });
        }
        System.out.println("killed after " + read + " of " + n + " hooks read their signal; all delivered once");
    }

    private static StepRecord stepOf(JdbcRepository store, UUID id) {
        return store.get(Model.STEP, StepRecord.idOf(id, 0)).orElseThrow();
    }

    private static List<SignalRecord> signalsOf(JdbcRepository store, UUID id) {
        return store.search(Model.SIGNAL, SearchFilter.all().where(SearchField.PIPELINE_ID, id));
    }

    private static boolean awaitStatus(JdbcRepository store, UUID id, Status status) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (store.get(Model.PIPELINE, id).orElseThrow().status() == status) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private record Child(Process process, BufferedReader out, List<UUID> ids) {
    }

    /** Starts {@link SignalChildMain} and reads until it is ready, with the ids of the pipelines it started. */
    private Child launch(String mode, int n, long claimMillis) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SignalChildMain.class.getName(), url(), schema, mode, String.valueOf(n), String.valueOf(claimMillis))
                .redirectError(File.createTempFile("prorch-signal-child-", ".log")).start();
        children.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<UUID> ids = new ArrayList<>();
        for (String line = out.readLine(); !"ready".equals(line); line = out.readLine()) {
            assertThat(line).as(mode + " child started").isNotNull().startsWith("started ");
            ids.add(UUID.fromString(line.substring(8)));
        }
        assertThat(ids).hasSize(n);
        return new Child(process, out, ids);
    }
}
