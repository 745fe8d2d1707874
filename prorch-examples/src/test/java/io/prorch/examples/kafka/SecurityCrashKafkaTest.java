package io.prorch.examples.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.examples.kafka.SecurityOrchestrator.Role;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.kafka.test.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator is a child JVM, killed with kill -9 while detections stream in, and started again with the
 * changed workflow (the reporting step) while messages are in flight: every detection still ends in one finished
 * workflow, and no service acts twice. The store is PostgreSQL when {@code PRORCH_TEST_POSTGRES_URL} is set (a fresh
 * schema), else an H2 file shared by both JVMs.
 */
class SecurityCrashKafkaTest {
    /** Detections produced: bounded so that the test stays within a few minutes on a shared 2-core machine. */
    private static final int DETECTIONS = Integer.getInteger("prorch.kafka.detections", 300);
    private static final Duration CLAIM = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    private EmbeddedKafka kafka;
    private HikariDataSource dataSource;
    private String url;
    private String schema;
    private final Map<String, Service> services = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, Topics.all().toArray(String[]::new));
        String pg = System.getenv("PRORCH_TEST_POSTGRES_URL");
        if (pg != null && !pg.isBlank()) {
            schema = "kafka_crash_" + UUID.randomUUID().toString().substring(0, 8);
            try (Connection c = DriverManager.getConnection(pg); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
            url = pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        } else {
            url = "jdbc:h2:file:" + dir.resolve("prorch").toAbsolutePath() + ";WRITE_DELAY=0;AUTO_SERVER=TRUE";
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        dataSource = new HikariDataSource(config);
        String bootstrap = kafka.bootstrapServers();
        services.put("Security", new Service("Security", bootstrap, Topics.SECURITY, c -> Map.of("verdict", "ok")));
        services.put("Notification", new Service("Notification", bootstrap, Topics.NOTIFICATION, c -> Map.of()));
        services.put("Reporting", new Service("Reporting", bootstrap, Topics.REPORTING, c -> Map.of()));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Service service : services.values()) {
            service.close();
        }
        dataSource.close();
        kafka.close();
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(System.getenv("PRORCH_TEST_POSTGRES_URL"));
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    @Timeout(600)
    void aKilledOrchestratorLosesNoDetectionAndRepeatsNoEffect() throws Exception {
        JdbcRepository repository = JdbcRepository.create(dataSource);   // migrates before the children start
        Process first = launch(1);
        Process second = null;
        try (EventProducer detections = new EventProducer(kafka.bootstrapServers(), Topics.DETECTIONS, "det-");
             Orchestrator reader = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                     .register(Workflows.SecurityV2.class).workerThreads(1).build())) {
            detections.startStreaming(100);
            awaitEffects(DETECTIONS / 4);

            first.destroyForcibly().waitFor();   // SIGKILL: no shutdown hook, no clean close
            second = launch(2);                  // the changed workflow, with commands and messages in flight
            while (detections.ids().size() < DETECTIONS) {
                Thread.sleep(50);
            }
            detections.stop();

            Map<String, List<String>> produced = Map.of(Workflows.SECURITY, detections.ids());
            Tally tally = Tally.await(Duration.ofMinutes(4), repository, reader, produced, services);
            services.values().forEach(service -> System.out.println(service.summary()));
            System.out.println("finished " + tally.finished() + " lost=" + tally.lost() + " duplicates="
                    + tally.duplicates());

            assertThat(tally.lost()).as("lost").isZero();
            assertThat(tally.duplicates()).as("duplicates").isZero();
            assertThat(tally.finished(Workflows.SECURITY)).isEqualTo(detections.ids().size());
            // the first orchestrator's runs kept their two steps; the later ones have three
            assertThat(tally.finished().get(Workflows.SECURITY)).containsKeys(2, 3);
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.getOutputStream().close();   // a clean stop
                second.waitFor();
            }
        }
    }

    /** Waits until the Notification Service acted on {@code count} detections (two commands into their workflow). */
    private void awaitEffects(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (services.get("Notification").events() < count) {
            assertThat(System.nanoTime()).as("detections handled before the kill").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private Process launch(int version) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SecurityOrchestratorMain.class.getName(), kafka.bootstrapServers(), url, String.valueOf(version),
                Role.ALL.name(), String.valueOf(CLAIM.toMillis()))
                .redirectError(File.createTempFile("prorch-security-orchestrator-", ".log")).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("orchestrator " + version + " started").isEqualTo("ready");
        return process;
    }
}
