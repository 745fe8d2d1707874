package io.prorch.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.services.FakeService.Answer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP API over a real socket: management behind the authorizer, events, field errors, bad requests. */
@SuppressWarnings("unchecked")
class ApiTest {
    private final FakeService upper = new FakeService((n, r) -> Answer.ok(Map.of("message",
            ((String) r.body().get("message")).toUpperCase())));
    private Harness h;
    private final String[] auth = {"Authorization", "Bearer " + Harness.TOKEN};

    @BeforeEach
    void start() {
        h = new Harness(b -> { });
        h.services.registerService(new ServiceDefinition("upper", upper.address(),
                List.of(Field.of("message", FieldType.STRING)), List.of(Field.of("message", FieldType.STRING))));
        h.services.registerWorkflow(new WorkflowDefinition("w", List.of("upper"), List.of(Field.of("message",
                FieldType.STRING), Field.of("times", FieldType.INT)), List.of(Field.of("message", FieldType.STRING)),
                List.of()));
        h.start();
    }

    @AfterEach
    void stop() {
        h.close();
        upper.close();
    }

    @Test
    void managementEndpointsAnswerIdAndAckDateOnlyWhenAuthorized() throws Exception {
        String service = "{\"name\": \"lower\", \"address\": \"" + upper.address() + "\", \"inputs\": [],"
                + " \"outputs\": [{\"name\": \"message\", \"type\": \"string\"}]}";
        assertThat(h.post("/services", service).statusCode()).isEqualTo(403);
        assertThat(h.post("/services", service, "Authorization", "Bearer wrong-token-123456").statusCode())
                .isEqualTo(403);
        assertThat(h.services.services()).doesNotContainKey("lower");

        HttpResponse<String> created = h.post("/services", service, auth);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(Harness.json(created.body())).containsEntry("id", "lower").containsKey("ack");

        HttpResponse<String> workflow = h.post("/workflows", "{\"name\": \"shout\", \"services\": [\"lower\"],"
                + " \"inputs\": [], \"outputs\": [{\"name\": \"message\", \"type\": \"string\"}]}", auth);
        assertThat(workflow.statusCode()).isEqualTo(201);
        assertThat(Harness.json(workflow.body())).containsEntry("id", "shout").containsKeys("version", "ack");
        assertThat(h.post("/e/shout", "{\"data\": {}}").statusCode()).isEqualTo(202);

        HttpResponse<String> invalid = h.post("/workflows", "{\"name\": \"bad\", \"services\": [\"ghost\", \"upper\"],"
                + " \"inputs\": [{\"name\": \"a\", \"type\": \"nope\"}], \"outputs\": []}", auth);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat((List<Object>) Harness.json(invalid.body()).get("problems")).hasSize(3);
    }

    @Test
    void dataNotMatchingTheInputsAnswers400WithEveryFieldError() throws Exception {
        HttpResponse<String> bad = h.post("/e/w", "{\"data\": {\"message\": 5}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat((List<Object>) Harness.json(bad.body()).get("problems")).containsExactly(
                "data.message: must be a string, but was 5",
                "data.times: missing; the workflow \"w\" needs a int");
        assertThat(h.post("/e/w", "{\"message\": \"x\"}").statusCode()).isEqualTo(400);
        assertThat(h.post("/e/w", "{not json").statusCode()).isEqualTo(400);
        assertThat(h.post("/e/w", "").statusCode()).isEqualTo(400);
        assertThat(h.post("/e/nope", "{\"data\": {}}").statusCode()).isEqualTo(404);
        assertThat(upper.received).isEmpty();
    }

    @Test
    void anEventIsAcceptedOnceAKeyIsRepeatedAndReadBackWithItsOutputs() throws Exception {
        String data = "{\"data\": {\"message\": \"hi\", \"times\": 2}}";
        Map<String, Object> first = Harness.json(h.post("/e/w", data, "Idempotency-Key", "order-1").body());
        Map<String, Object> again = Harness.json(h.post("/e/w", data, "Idempotency-Key", "order-1").body());
        assertThat(again.get("event-id")).isEqualTo(first.get("event-id"));

        h.orchestrator.awaitCompletion(java.util.UUID.fromString((String) first.get("event-id")),
                java.time.Duration.ofSeconds(10));
        Map<String, Object> event = Harness.json(h.get("/e/" + first.get("event-id")).body());
        assertThat(event).containsEntry("status", "finished").containsEntry("workflow", "w")
                .containsEntry("outputs", Map.of("message", "HI"));
        assertThat(upper.received).hasSize(1);
    }

    @Test
    void unknownPathsMethodsIdsAndOversizedBodiesAreRefusedPlainly() throws Exception {
        assertThat(h.get("/e/" + java.util.UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(h.get("/e/xyz").statusCode()).isEqualTo(400);
        assertThat(h.get("/nothing").statusCode()).isEqualTo(404);
        assertThat(h.get("/services").statusCode()).isEqualTo(405);
        assertThat(h.post("/e/w", "{\"data\": \"" + "x".repeat((1 << 20) + 10) + "\"}").statusCode())
                .isEqualTo(413);
        assertThat(new ServicesApi(h.services, Authorizer.denyAll()).handle(new ApiRequest("POST", "/services",
                null, null)).status()).isEqualTo(403);
    }

    @Test
    void aChunkedBodyWithoutLengthAndATrailingSlashAreServedLikeAnyEvent() throws Exception {
        byte[] data = "{\"data\": {\"message\": \"hi\", \"times\": 1}}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = h.client.send(HttpRequest.newBuilder(URI.create(h.url("/e/w/")))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(202);
        assertThat(Harness.json(chunked.body())).containsEntry("status", "pending").containsKey("event-id");
    }

    @Test
    void theServerTurnsNaglesAlgorithmOffAndBoundsTheWaitForHeadersUnlessTheUserChose() {
        // this JVM was launched without the property: starting a ServicesServer set it (Harness started one)
        assertThat(System.getProperty(ServicesServer.NODELAY_PROPERTY)).isEqualTo("true");
        assertThat(System.getProperty(ServicesServer.MAX_REQUEST_TIME_PROPERTY)).isEqualTo("10");
    }
}
