package io.prorch.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.jdbc.JdbcRepository;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator JVM is killed with {@code kill -9} while a service call is in flight: the restarted orchestrator
 * calls again with the same Idempotency-Key, the service answers from memory, and the event finishes with the command
 * applied once.
 */
class KillMidCallTest {
    @TempDir
    Path dir;

    static Services services(String address) {
        Services services = Services.builder().readTimeout(Duration.ofSeconds(20)).retryPolicy(
                io.prorch.RetryPolicy.exponential(5, Duration.ofMillis(50), Duration.ofMillis(500))).build();
        services.registerService(new ServiceDefinition("hold", address, List.of(Field.of("message", FieldType.STRING)),
                List.of(Field.of("message", FieldType.STRING))));
        services.registerWorkflow(new WorkflowDefinition("w", List.of("hold"), List.of(Field.of("message",
                FieldType.STRING)), List.of(Field.of("message", FieldType.STRING)), List.of()));
        return services;
    }

    static Orchestrator orchestrator(Services services, String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("sa");
        Orchestrator orchestrator = new Orchestrator(services.configure(OrchestratorConfig.builder()
                .repository(JdbcRepository.create(dataSource)).claimDuration(Duration.ofSeconds(2))).build());
        services.bind(orchestrator);
        return orchestrator;
    }

    @Test
    @Timeout(180)
    void aCallInFlightWhenTheOrchestratorDiesIsMadeAgainWithTheSameKeyAndAppliedOnce() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        ServiceEndpoint hold = ServiceEndpoint.builder().command("hold", data -> {
            if (runs.incrementAndGet() == 1) {
                received.countDown();
                release.await(30, TimeUnit.SECONDS);
            }
            return Map.of("message", ((String) data.get("message")).toUpperCase());
        }).build();
        String url = "jdbc:h2:file:" + dir.resolve("killed").toAbsolutePath() + ";WRITE_DELAY=0";
        try (ServicesServer server = ServicesServer.start(hold::handle, new InetSocketAddress("127.0.0.1", 0), 4)) {
            String address = "http://127.0.0.1:" + server.port() + "/hold";
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-cp", System.getProperty("java.class.path"), KilledOrchestratorMain.class.getName(),
                    url, address).redirectError(File.createTempFile("killed-services", ".log")).start();
            UUID id;
            try {
                String line = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                assertThat(line).as("the child's first line").startsWith("started ");
                id = UUID.fromString(line.substring("started ".length()));
                assertThat(received.await(60, TimeUnit.SECONDS)).as("the call reached the service").isTrue();
            } finally {
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);   // SIGKILL with the call in flight
            }
            release.countDown();

            try (Orchestrator restarted = orchestrator(services(address), url)) {
                restarted.startPolling(Duration.ofMillis(50));
                PipelineView done = restarted.awaitCompletion(id, Duration.ofSeconds(60));

                assertThat(done.status()).isEqualTo(Status.FINISHED);
                assertThat(done.metadata().get("outputs")).isEqualTo(Map.of("message", "HELD"));
            }
        }
        assertThat(runs).as("the command ran once").hasValue(1);
        assertThat(hold.requests()).as("the call was made again after the kill").isEqualTo(2);
        assertThat(hold.replayed()).isEqualTo(1);
        assertThat(hold.appliedTwice()).isZero();
    }
}
