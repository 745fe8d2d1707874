package io.prorch.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PipelineView;
import io.prorch.RetryPolicy;
import io.prorch.Status;
import io.prorch.repository.InMemoryRepository;
import io.prorch.services.FakeService.Answer;
import io.prorch.web.Authorizer;
import io.prorch.web.ProrchWeb;
import io.prorch.web.WebAction;
import io.prorch.web.WebServer;
import io.prorch.web.servlet.ProrchWebServlet;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The services API served by prorch-web beside the status page, over real loopback HTTP: on the page's own server
 * and through its servlet in a real container (Tomcat, mounted at {@code /app/prorch/*}).
 */
@Timeout(60)
@SuppressWarnings("unchecked")
class ServicesRoutesTest {
    private static final String TOKEN = "Bearer admin-token-0123456789";

    /** Where the page and the API are served. */
    enum Host { SERVER, SERVLET }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final CompletableFuture<String> callbackUrl = new CompletableFuture<>();
    private final FakeService upper = new FakeService((n, r) -> Answer.ok(Map.of("message",
            ((String) r.body().get("message")).toUpperCase())));
    private final FakeService async = new FakeService((n, r) -> {
        callbackUrl.complete(r.callback());
        return new Answer(202, "{}", 0);
    });
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final Authorizer admins = (request, action, id) -> {
        asked.add(action + " " + id);
        return TOKEN.equals(request.header("Authorization"));
    };
    private Services services;
    private Orchestrator orchestrator;
    private WebServer server;
    private Tomcat tomcat;
    private URI base;

    @TempDir
    Path tomcatDir;

    /** Starts services, orchestrator and page on {@code host}; callbacks come back through the same host. */
    private void start(Host host) throws Exception {
        int port = freePort();
        base = URI.create("http://127.0.0.1:" + port + (host == Host.SERVLET ? "/app/prorch" : ""));
        services = Services.builder().readTimeout(Duration.ofSeconds(2))
                .retryPolicy(RetryPolicy.exponential(4, Duration.ofMillis(50), Duration.ofMillis(200)))
                .callbackBase(base).build();
        services.registerService(service("upper", upper));
        services.registerService(service("later", async));
        services.registerWorkflow(new WorkflowDefinition("w", List.of("upper"), List.of(Field.of("message",
                FieldType.STRING), Field.of("times", FieldType.INT)), List.of(Field.of("message", FieldType.STRING)),
                List.of()));
        services.registerWorkflow(new WorkflowDefinition("slow", List.of("later"), List.of(Field.of("message",
                FieldType.STRING)), List.of(Field.of("message", FieldType.STRING)), List.of()));
        orchestrator = new Orchestrator(services.configure(OrchestratorConfig.builder()
                .repository(InMemoryRepository.create()).claimDuration(Duration.ofSeconds(5))).build());
        services.bind(orchestrator);
        orchestrator.startPolling(Duration.ofMillis(20));
        ProrchWeb web = ProrchWeb.builder(orchestrator).port(port).authorizer(admins)
                .routes(ServicesRoutes.create(services)).build();
        if (host == Host.SERVER) {
            server = web.start();
        } else {
            tomcat = new Tomcat();
            tomcat.setBaseDir(tomcatDir.toString());
            tomcat.setPort(port);
            tomcat.getConnector().setProperty("address", "127.0.0.1");
            File docs = new File(tomcatDir.toFile(), "app");
            assertThat(docs.mkdirs()).isTrue();
            Context context = tomcat.addContext("/app", docs.getAbsolutePath());
            Tomcat.addServlet(context, "prorch", new ProrchWebServlet(web));
            context.addServletMappingDecoded("/prorch/*", "prorch");
            tomcat.start();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
        upper.close();
        async.close();
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void registrationsAreRefusedUnlessThePagesAuthorizerPermitsThem(Host host) throws Exception {
        start(host);
        String lower = "{\"name\": \"lower\", \"address\": \"" + upper.address() + "\", \"inputs\": [],"
                + " \"outputs\": [{\"name\": \"message\", \"type\": \"string\"}]}";

        HttpResponse<String> anonymous = post("/services", lower);
        HttpResponse<String> wrongToken = post("/services", lower, "Authorization", "Bearer wrong-0123456789");
        HttpResponse<String> listing = send(HttpRequest.newBuilder(url("/services")).GET());
        HttpResponse<String> otherSite = post("/services", lower, "Authorization", TOKEN, "Origin",
                "https://evil.example");
        assertThat(services.services()).doesNotContainKey("lower");
        HttpResponse<String> created = post("/services", lower, "Authorization", TOKEN);
        HttpResponse<String> workflow = post("/workflows", "{\"name\": \"shout\", \"services\": [\"lower\"],"
                + " \"inputs\": [], \"outputs\": [{\"name\": \"message\", \"type\": \"string\"}]}",
                "Authorization", TOKEN);
        HttpResponse<String> invalid = post("/workflows", "{\"name\": \"bad\", \"services\": [\"ghost\"],"
                + " \"inputs\": [{\"name\": \"a\", \"type\": \"nope\"}], \"outputs\": []}", "Authorization", TOKEN);

        assertThat(List.of(anonymous, wrongToken, listing, otherSite)).allSatisfy(r ->
                assertThat(r.statusCode()).isEqualTo(403));
        assertThat(anonymous.body()).contains("the Authorizer refused register-service to an anonymous user");
        assertThat(otherSite.body()).contains("CSRF", "https://evil.example");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(Harness.json(created.body())).containsEntry("id", "lower").containsKey("ack");
        assertThat(workflow.statusCode()).isEqualTo(201);
        assertThat(Harness.json(workflow.body())).containsEntry("id", "shout").containsKeys("version", "ack");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat((List<Object>) Harness.json(invalid.body()).get("problems")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(services.workflows()).containsKey("shout").doesNotContainKey("bad");
        assertThat(asked).contains(WebAction.REGISTER_SERVICE + " null", WebAction.REGISTER_WORKFLOW + " null")
                .allSatisfy(a -> assertThat(a).endsWith(" null"));
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void eventsAreAcceptedCheckedAndReadBackBesideTheStatusPage(Host host) throws Exception {
        start(host);

        HttpResponse<String> bad = post("/e/w", "{\"data\": {\"message\": 5}}");
        HttpResponse<String> unknown = post("/e/nope", "{\"data\": {}}");
        HttpResponse<String> otherSite = post("/e/w", "{\"data\": {\"message\": \"hi\", \"times\": 2}}",
                "Content-Type", "text/plain", "Sec-Fetch-Site", "cross-site");
        HttpResponse<String> accepted = post("/e/w", "{\"data\": {\"message\": \"hi\", \"times\": 2}}",
                "Content-Type", "application/json", "Idempotency-Key", "order-1");
        HttpResponse<String> again = post("/e/w", "{\"data\": {\"message\": \"hi\", \"times\": 2}}",
                "Content-Type", "application/json", "Idempotency-Key", "order-1");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat((List<Object>) Harness.json(bad.body()).get("problems")).containsExactly(
                "data.message: must be a string, but was 5",
                "data.times: missing; the workflow \"w\" needs a int");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(otherSite.statusCode()).isEqualTo(403);
        assertThat(otherSite.body()).contains("CSRF");
        assertThat(orchestrator.query(io.prorch.PipelineQuery.builder().build()).items()).as("only the accepted event")
                .hasSize(1);
        assertThat(accepted.statusCode()).isEqualTo(202);
        Map<String, Object> ack = Harness.json(accepted.body());
        assertThat(ack).containsKeys("event-id", "ack", "status");
        assertThat(Harness.json(again.body()).get("event-id")).isEqualTo(ack.get("event-id"));
        UUID id = UUID.fromString((String) ack.get("event-id"));
        orchestrator.awaitCompletion(id, Duration.ofSeconds(10));
        HttpResponse<String> event = send(HttpRequest.newBuilder(url("/e/" + id)).GET());
        assertThat(event.statusCode()).isEqualTo(200);
        assertThat(Harness.json(event.body())).containsEntry("status", "finished")
                .containsEntry("outputs", Map.of("message", "HI"));
        assertThat(upper.received).hasSize(1);

        HttpResponse<String> page = send(HttpRequest.newBuilder(url("/pipelines/" + id)).GET());
        HttpResponse<String> api = send(HttpRequest.newBuilder(url("/api/pipelines?status=finished")).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).contains(id.toString());
        assertThat(asked).as("events are not behind the Authorizer").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void anAsyncServiceCallsBackThroughTheSameHost(Host host) throws Exception {
        start(host);
        UUID id = services.submit("slow", Map.of("message", "a"), null).id();

        URI callback = URI.create(callbackUrl.get(10, TimeUnit.SECONDS));
        assertThat(callback.toString()).startsWith(base + "/callbacks/" + id + "/");
        HttpResponse<String> delivered = send(HttpRequest.newBuilder(callback).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"message\": \"LATER\"}")));
        PipelineView done = orchestrator.awaitCompletion(id, Duration.ofSeconds(10));

        assertThat(delivered.statusCode()).isEqualTo(202);
        assertThat(done.status()).isEqualTo(Status.FINISHED);
        assertThat(done.metadata().get("outputs")).isEqualTo(Map.of("message", "LATER"));
        assertThat(post("/callbacks/" + UUID.randomUUID() + "/later", "{}").statusCode()).isEqualTo(404);
        assertThat(asked).as("callbacks are not behind the Authorizer").isEmpty();
    }

    private static ServiceDefinition service(String name, FakeService fake) {
        return new ServiceDefinition(name, fake.address(), List.of(Field.of("message", FieldType.STRING)),
                List.of(Field.of("message", FieldType.STRING)));
    }

    private URI url(String path) {
        return URI.create(base + path);
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
