package io.prorch.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.ConfigurationException;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PipelineView;
import io.prorch.RetryPolicy;
import io.prorch.Status;
import io.prorch.repository.InMemoryRepository;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** orch_serv's flows of blocks over real loopback services built with ServiceEndpoint; the envelope; deduplication. */
class FlowsTest {
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** A service whose command appends its name to the "trail" list of the data; serviceN fails as told. */
    private Block service(String name, ServiceEndpoint.Command command) {
        ServicesServer server = ServicesServer.start(ServiceEndpoint.builder().command(name, command).build()::handle,
                new InetSocketAddress("127.0.0.1", 0), 2);
        closing.add(server);
        return Block.of(name, URI.create("http://127.0.0.1:" + server.port() + "/" + name));
    }

    private Block trail(String name) {
        return service(name, data -> {
            List<Object> trail = new ArrayList<>((List<?>) data.getOrDefault("trail", List.of()));
            trail.add(name);
            return Map.of("trail", trail);
        });
    }

    private Orchestrator orchestrator(Flows flows) {
        Orchestrator orchestrator = new Orchestrator(flows.configure(OrchestratorConfig.builder()
                .repository(InMemoryRepository.create())).build());
        orchestrator.startPolling(Duration.ofMillis(20));
        closing.add(0, orchestrator);
        return orchestrator;
    }

    @Test
    void task1AndTask2CallTheSameBlocksInTheirOwnOrder() throws Exception {
        Block s1 = trail("service1");
        Block s2 = trail("service2");
        Block s3 = trail("service3");
        Block s4 = trail("service4");
        Flows flows = Flows.builder().flow(Flow.of("Task1", s1, s2, s3)).flow(Flow.of("Task2", s2, s4, s1)).build();
        Orchestrator orchestrator = orchestrator(flows);

        PipelineView task1 = orchestrator.awaitCompletion(flows.start(orchestrator, "Task1", Map.of("n", 1), null),
                Duration.ofSeconds(10));
        PipelineView task2 = orchestrator.awaitCompletion(flows.start(orchestrator, "Task2", Map.of("n", 2), null),
                Duration.ofSeconds(10));

        assertThat(task1.metadata().get("data")).isEqualTo(Map.of("n", 1L, "trail",
                List.of("service1", "service2", "service3")));
        assertThat(task2.metadata().get("data")).isEqualTo(Map.of("n", 2L, "trail",
                List.of("service2", "service4", "service1")));
        assertThatThrownBy(() -> flows.start(orchestrator, "Task3", Map.of(), null))
                .hasMessageContaining("No flow named \"Task3\"", "Task1", "Task2");
    }

    @Test
    void flowsAreValidatedUpFrontWithEveryProblem() {
        Block a = Block.of("a", URI.create("http://127.0.0.1:1/a"));
        Block otherA = Block.of("a", URI.create("http://127.0.0.1:2/a"));
        assertThatThrownBy(() -> Flows.builder().flow(Flow.of("T", a)).flow(Flow.of("T", a)).flow(Flow.of("E"))
                .flow(Flow.of("bad name", otherA)).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).hasSize(4)
                        .anySatisfy(p -> assertThat(p).contains("two flows named \"T\""))
                        .anySatisfy(p -> assertThat(p).contains("flow \"E\" has no blocks"))
                        .anySatisfy(p -> assertThat(p).contains("flow name \"bad name\""))
                        .anySatisfy(p -> assertThat(p).contains("two different blocks named \"a\"")));
        assertThatThrownBy(() -> Flows.builder().build()).hasMessageContaining("no flows");
        assertThatThrownBy(() -> Block.of("a", URI.create("/relative"))).hasMessageContaining("absolute http(s)");
        assertThatThrownBy(() -> Block.of("a b", URI.create("http://h/"))).hasMessageContaining("block name");
    }

    @Test
    void aServiceErrorFailsTheStepWithItsMessageAndA500IsRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Block flaky = service("flaky", data -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("disk full");
            }
            return Map.of("ok", true);
        });
        Block picky = service("picky", data -> {
            throw new IllegalArgumentException("text is required");
        });
        Flows flows = Flows.builder().retryPolicy(RetryPolicy.exponential(3, Duration.ofMillis(20),
                Duration.ofMillis(50))).flow(Flow.of("Retry", flaky)).flow(Flow.of("Refuse", picky)).build();
        Orchestrator orchestrator = orchestrator(flows);

        PipelineView retried = orchestrator.awaitCompletion(flows.start(orchestrator, "Retry", Map.of(), null),
                Duration.ofSeconds(10));
        assertThat(retried.status()).isEqualTo(Status.FINISHED);
        assertThat(calls).hasValue(2);
        PipelineView refused = orchestrator.awaitCompletion(flows.start(orchestrator, "Refuse", Map.of(), null),
                Duration.ofSeconds(10));
        assertThat(refused.status()).isEqualTo(Status.FAILED);
        assertThat(refused.lastError()).contains("\"picky\" answered 422: text is required");
    }

    @Test
    void theEnvelopeRoundTripsThroughItsJsonForm() {
        Envelope sent = new Envelope("k:1", "Task1", "service1", Map.of("text", "hi"), null,
                Instant.parse("2026-12-07T00:00:00Z"), null);
        assertThat(Envelope.fromJson(sent.toJson())).isEqualTo(sent);
        assertThat(sent.toJson()).isEqualTo("{\"id\":\"k:1\",\"flow\":\"Task1\",\"step\":\"service1\","
                + "\"data\":{\"text\":\"hi\"},\"error\":null,\"sent_at\":\"2026-12-07T00:00:00Z\",\"answered_at\":null}");
        Envelope failed = sent.failure("no", Instant.parse("2026-12-07T00:00:01Z"));
        assertThat(Envelope.fromJson(failed.toJson())).isEqualTo(failed);
        assertThatThrownBy(() -> Envelope.fromJson("{\"id\": 1}")).hasMessageContaining("\"id\" must be a string");
        assertThatThrownBy(() -> Envelope.fromJson("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEndpointRunsACommandOncePerKeyAndAnswersRepeatsFromMemory() {
        AtomicInteger runs = new AtomicInteger();
        List<Object> after = new java.util.concurrent.CopyOnWriteArrayList<>();
        ServiceEndpoint endpoint = ServiceEndpoint.builder().command("count", data -> Map.of("n",
                runs.incrementAndGet()), (data, results) -> after.add(results.get("n"))).build();
        Map<String, List<String>> key = Map.of("Idempotency-Key", List.of("k1"));

        ApiResponse first = endpoint.handle(new ApiRequest("POST", "/count", key, "{}"));
        ApiResponse again = endpoint.handle(new ApiRequest("POST", "/count", key, "{}"));
        ApiResponse other = endpoint.handle(new ApiRequest("POST", "/count", Map.of(), "{}"));

        assertThat(first).isEqualTo(again).isNotEqualTo(other);
        assertThat(first.body()).isEqualTo("{\"n\":1}");
        assertThat(endpoint.applied()).isEqualTo(2);
        assertThat(endpoint.replayed()).isEqualTo(1);
        assertThat(endpoint.appliedTwice()).isZero();
        assertThat(endpoint.handle(new ApiRequest("POST", "/nope", null, "{}")).status()).isEqualTo(404);
        assertThat(endpoint.handle(new ApiRequest("POST", "/count", null, "[")).status()).isEqualTo(400);
        assertThatThrownBy(() -> ServiceEndpoint.builder().build()).hasMessageContaining("no commands");
    }

    @Test
    void anEndpointRemembersItsLastKeysOnlyAndForgetsTheOldestFirst() {
        AtomicInteger runs = new AtomicInteger();
        ServiceEndpoint endpoint = ServiceEndpoint.builder().remember(2)
                .command("count", data -> Map.of("n", runs.incrementAndGet())).build();
        java.util.function.Function<String, String> call = k -> endpoint.handle(new ApiRequest("POST", "//count/",
                Map.of("Idempotency-Key", List.of(k)), "{}")).body();

        assertThat(List.of(call.apply("k1"), call.apply("k2"), call.apply("k3"), call.apply("k3"), call.apply("k2")))
                .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":3}", "{\"n\":2}");
        assertThat(call.apply("k1")).as("k1 was the oldest of three keys: forgotten, so run again")
                .isEqualTo("{\"n\":4}");
        assertThat(call.apply("k2")).as("k1 came back and pushed k2 out").isEqualTo("{\"n\":5}");
        assertThat(endpoint.replayed()).isEqualTo(2);
    }
}
