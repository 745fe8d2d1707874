package io.prorch.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.services.FakeService.Answer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Workflows call real services on loopback: answers, retries, timeouts, 4xx, async callbacks, changed definitions. */
class CallsTest {
    private final List<AutoCloseable> closing = new java.util.ArrayList<>();
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close() throws Exception {
        later.shutdownNow();
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private FakeService service(FakeService.Script script) {
        FakeService service = new FakeService(script);
        closing.add(service);
        return service;
    }

    private Harness harness(java.util.function.Consumer<Services.Builder> settings) {
        Harness harness = new Harness(settings);
        closing.add(0, harness);
        return harness;
    }

    private static ServiceDefinition text(String name, FakeService at, String out, FieldType type) {
        return new ServiceDefinition(name, at.address(), List.of(Field.of("message", FieldType.STRING)),
                List.of(Field.of(out, type)));
    }

    private static WorkflowDefinition workflow(String name, List<String> services, List<Field> outputs) {
        return new WorkflowDefinition(name, services, List.of(Field.of("message", FieldType.STRING)), outputs,
                List.of());
    }

    private static Map<String, Object> message(Map<String, Object> in, java.util.function.UnaryOperator<String> f) {
        return Map.of("message", f.apply((String) in.get("message")));
    }

    private PipelineView await(Harness h, java.util.UUID id) throws InterruptedException {
        return h.orchestrator.awaitCompletion(id, Duration.ofSeconds(20));
    }

    @Test
    void machinerysExampleRunsOverHttpAndAnswersItsOutputs() throws Exception {
        FakeService upper = service((n, r) -> Answer.ok(message(r.body(), String::toUpperCase)));
        FakeService reverse = service((n, r) -> Answer.ok(message(r.body(),
                s -> new StringBuilder(s).reverse().toString())));
        FakeService counter = service((n, r) -> Answer.ok(Map.of("space_count",
                ((String) r.body().get("message")).chars().filter(c -> c == ' ').count())));
        Harness h = harness(b -> { });
        h.services.registerService(text("upper", upper, "message", FieldType.STRING));
        h.services.registerService(text("reverse", reverse, "message", FieldType.STRING));
        h.services.registerService(text("space-counter", counter, "space_count", FieldType.INT));
        h.services.registerWorkflow(workflow("process-text", List.of("upper", "reverse", "space-counter"),
                List.of(Field.of("message", FieldType.STRING), Field.of("space_count", FieldType.INT))));
        h.start();

        HttpResponse<String> accepted = h.post("/e/process-text",
                "{\"data\": {\"message\": \"The Sun will rise in the morning !\"}}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        Map<?, ?> ack = Harness.json(accepted.body());
        assertThat(ack.get("status")).isEqualTo("pending");
        assertThat((String) ack.get("ack")).isNotBlank();
        String id = (String) ack.get("event-id");
        await(h, java.util.UUID.fromString(id));

        Map<?, ?> done = Harness.json(h.get("/e/" + id).body());
        assertThat(done.get("status")).isEqualTo("finished");
        assertThat(done.get("outputs")).isEqualTo(Map.of("message", "! GNINROM EHT NI ESIR LLIW NUS EHT",
                "space_count", 7));
        assertThat(upper.received).singleElement().satisfies(r -> {
            assertThat(r.body()).isEqualTo(Map.of("message", "The Sun will rise in the morning !"));
            assertThat(r.idempotencyKey()).isNotBlank();
        });
        assertThat(reverse.received.get(0).idempotencyKey()).isNotEqualTo(upper.received.get(0).idempotencyKey());
    }

    @Test
    void connectionErrors429And5xxAreRetriedWithTheSameIdempotencyKey() throws Exception {
        FakeService flaky = service((n, r) -> n == 0 ? new Answer(503, "{\"e\": \"busy\"}", 0)
                : n == 1 ? new Answer(429, "{}", 0) : Answer.ok(message(r.body(), String::toUpperCase)));
        Harness h = harness(b -> { });
        h.services.registerService(text("upper", flaky, "message", FieldType.STRING));
        h.services.registerService(new ServiceDefinition("gone", "http://127.0.0.1:1/",
                List.of(Field.of("message", FieldType.STRING)), List.of()));
        h.services.registerWorkflow(workflow("flaky", List.of("upper"), List.of(Field.of("message",
                FieldType.STRING))));
        h.services.registerWorkflow(workflow("unreachable", List.of("gone"), List.of()));
        h.start();

        PipelineView done = await(h, h.services.submit("flaky", Map.of("message", "a"), null).id());
        assertThat(done.status()).isEqualTo(Status.FINISHED);
        assertThat(flaky.received).hasSize(3).extracting(FakeService.Received::idempotencyKey).containsOnly(
                flaky.received.get(0).idempotencyKey());

        PipelineView failed = await(h, h.services.submit("unreachable", Map.of("message", "a"), null).id());
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.lastError()).contains("\"gone\"", "could not be reached");
        assertThat(failed.steps().get(0).attempts()).isEqualTo(4);
    }

    @Test
    void aClientErrorFailsTheStepAtOnceWithStatusAndBody() throws Exception {
        FakeService picky = service((n, r) -> new Answer(422, "{\"error\": \"message too short\"}", 0));
        Harness h = harness(b -> { });
        h.services.registerService(text("upper", picky, "message", FieldType.STRING));
        h.services.registerWorkflow(workflow("w", List.of("upper"), List.of()));
        h.start();

        PipelineView failed = await(h, h.services.submit("w", Map.of("message", "a"), null).id());
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.lastError()).contains("answered 422", "message too short");
        assertThat(picky.received).hasSize(1);
        Map<?, ?> event = Harness.json(h.get("/e/" + failed.id()).body());
        assertThat(event.get("status")).isEqualTo("failed");
        assertThat((String) event.get("error")).contains("422");
    }

    @Test
    void aSlowAnswerTimesOutAndIsRetried() throws Exception {
        FakeService slow = service((n, r) -> new Answer(200, message(r.body(), String::toUpperCase),
                n == 0 ? 1500 : 0));
        Harness h = harness(b -> b.readTimeout(Duration.ofMillis(300)));
        h.services.registerService(text("upper", slow, "message", FieldType.STRING));
        h.services.registerWorkflow(workflow("w", List.of("upper"), List.of(Field.of("message", FieldType.STRING))));
        h.start();

        PipelineView done = await(h, h.services.submit("w", Map.of("message", "a"), null).id());
        assertThat(done.status()).isEqualTo(Status.FINISHED);
        assertThat(done.metadata().get("outputs")).isEqualTo(Map.of("message", "A"));
        assertThat(done.steps().get(0).attempts()).isEqualTo(1);
        assertThat(slow.received).hasSize(2);
    }

    @Test
    void anAnswerWhoseBodyStallsTimesOutAtTheReadTimeoutAndIsRetried() throws Exception {
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 8,
                java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> stallTheFirstBody(listener), "stalling-service");
            server.setDaemon(true);
            server.start();
            Harness h = harness(b -> b.readTimeout(Duration.ofMillis(300)));
            h.services.registerService(new ServiceDefinition("upper", "http://127.0.0.1:" + listener.getLocalPort()
                    + "/upper", List.of(Field.of("message", FieldType.STRING)),
                    List.of(Field.of("message", FieldType.STRING))));
            h.services.registerWorkflow(workflow("w", List.of("upper"),
                    List.of(Field.of("message", FieldType.STRING))));
            h.start();

            PipelineView done = await(h, h.services.submit("w", Map.of("message", "a"), null).id());

            assertThat(done.status()).isEqualTo(Status.FINISHED);
            assertThat(done.metadata().get("outputs")).isEqualTo(Map.of("message", "A"));
            assertThat(done.steps().get(0).attempts()).isEqualTo(1);
            // the call gave up at its read timeout, not at the hook's timeout 5 s later
            assertThat(h.orchestrator.history(done.id())).anySatisfy(e -> assertThat(e.errorMessage())
                    .contains("no whole answer from", "within PT0.3S"));
        }
    }

    /** Answers the first call with its headers and part of its body, then nothing; the next ones whole. */
    private static void stallTheFirstBody(java.net.ServerSocket listener) {
        List<java.net.Socket> held = new java.util.ArrayList<>();
        try {
            for (int call = 0; ; call++) {
                java.net.Socket socket = listener.accept();
                socket.getInputStream().read(new byte[8192]);   // the request: small, sent at once
                String body = "{\"message\": \"A\"}";
                String answer = call == 0
                        ? "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"mess"
                        : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                                + body.length() + "\r\n\r\n" + body;
                socket.getOutputStream().write(answer.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                if (call == 0) {
                    held.add(socket);   // kept open, never finished
                } else {
                    socket.close();
                }
            }
        } catch (IOException closed) {
            // the test is over
        } finally {
            for (java.net.Socket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    @Test
    void anAnswerWithoutItsDeclaredOutputsFailsTheStep() throws Exception {
        FakeService wrong = service((n, r) -> Answer.ok(Map.of("message", 42)));
        Harness h = harness(b -> { });
        h.services.registerService(text("upper", wrong, "message", FieldType.STRING));
        h.services.registerWorkflow(workflow("w", List.of("upper"), List.of()));
        h.start();

        PipelineView failed = await(h, h.services.submit("w", Map.of("message", "a"), null).id());
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.lastError()).contains("\"message\" must be a string, but was 42");
    }

    @Test
    void anAsyncServiceAnswers202AndCallsBackWithItsOutputs() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        FakeService async = service((n, r) -> {
            later.schedule(() -> client.send(HttpRequest.newBuilder(URI.create(r.callback()))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"message\": \"LATER\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()), 300, TimeUnit.MILLISECONDS);
            return new Answer(202, "{}", 0);
        });
        Harness h = harness(b -> { });
        h.services.registerService(text("upper", async, "message", FieldType.STRING));
        h.services.registerWorkflow(workflow("w", List.of("upper"), List.of(Field.of("message", FieldType.STRING))));
        h.start();

        PipelineView done = await(h, h.services.submit("w", Map.of("message", "a"), null).id());
        assertThat(done.status()).isEqualTo(Status.FINISHED);
        assertThat(done.metadata().get("outputs")).isEqualTo(Map.of("message", "LATER"));
        assertThat(async.received).hasSize(1);
        // a repeated callback is answered as the first one was, and changes nothing
        assertThat(h.post(URI.create(async.received.get(0).callback()).getPath(), "{\"message\": \"x\"}")
                .statusCode()).isEqualTo(202);
        assertThat(h.orchestrator.find(done.id()).orElseThrow().metadata().get("outputs"))
                .isEqualTo(Map.of("message", "LATER"));
        assertThat(h.post("/callbacks/" + java.util.UUID.randomUUID() + "/upper", "{}").statusCode()).isEqualTo(404);
        assertThat(h.post("/callbacks/not-a-uuid/upper", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void anAsyncServiceThatNeverCallsBackFailsTheStepAtTheDeadline() throws Exception {
        FakeService silent = service((n, r) -> new Answer(202, "{}", 0));
        Harness h = harness(b -> b.callbackDeadline(Duration.ofMillis(400)));
        h.services.registerService(text("upper", silent, "message", FieldType.STRING));
        h.services.registerWorkflow(workflow("w", List.of("upper"), List.of()));
        h.start();

        PipelineView failed = await(h, h.services.submit("w", Map.of("message", "a"), null).id());
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.lastError()).contains("did not call back within PT0.4S");
    }

    @Test
    void runsInFlightKeepTheWorkflowTheyStartedWithWhenItChanges() throws Exception {
        FakeService async = service((n, r) -> new Answer(202, "{}", 0));
        FakeService upper = service((n, r) -> Answer.ok(message(r.body(), String::toUpperCase)));
        Harness h = harness(b -> { });
        h.services.registerService(text("hold", async, "message", FieldType.STRING));
        h.services.registerService(text("upper", upper, "message", FieldType.STRING));
        h.services.registerWorkflow(workflow("w", List.of("hold", "upper"), List.of(Field.of("message",
                FieldType.STRING))));
        h.start();
        java.util.UUID old = h.services.submit("w", Map.of("message", "old"), null).id();
        org.assertj.core.api.Assertions.assertThat(waitFor(() -> async.received.size() == 1)).isTrue();

        // v2 drops the async step: new events run upper only, the old one still waits in "hold"
        h.services.registerWorkflow(workflow("w", List.of("upper"), List.of(Field.of("message", FieldType.STRING))));
        PipelineView fresh = await(h, h.services.submit("w", Map.of("message", "new"), null).id());
        assertThat(fresh.steps()).extracting(io.prorch.StepView::name).containsExactly("upper");
        assertThat(fresh.metadata().get("outputs")).isEqualTo(Map.of("message", "NEW"));

        assertThat(h.post(URI.create(async.received.get(0).callback()).getPath(), "{\"message\": \"held\"}")
                .statusCode()).isEqualTo(202);
        PipelineView done = await(h, old);
        assertThat(done.steps()).extracting(io.prorch.StepView::name).containsExactly("hold", "upper");
        assertThat(done.metadata().get("outputs")).isEqualTo(Map.of("message", "HELD"));
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
