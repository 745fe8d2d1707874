package io.prorch.services;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.RetryPolicy;
import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/** Services bound to an orchestrator on an in-memory store, served over loopback HTTP. */
final class Harness implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789";
    final IRepository repository;
    final Services services;
    Orchestrator orchestrator;
    ServicesServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port = freePort();

    Harness(Consumer<Services.Builder> settings) {
        this(InMemoryRepository.create(), settings);
    }

    Harness(IRepository repository, Consumer<Services.Builder> settings) {
        this.repository = repository;
        Services.Builder builder = Services.builder().readTimeout(Duration.ofSeconds(2))
                .retryPolicy(RetryPolicy.exponential(4, Duration.ofMillis(50), Duration.ofMillis(200)))
                .callbackBase(URI.create("http://127.0.0.1:" + port));
        settings.accept(builder);
        this.services = builder.build();
    }

    /** Builds the orchestrator from what is registered so far, binds it, polls every 20 ms and serves the API. */
    Harness start() {
        orchestrator = new Orchestrator(services.configure(OrchestratorConfig.builder().repository(repository)
                .claimDuration(Duration.ofSeconds(5))).build());
        services.bind(orchestrator);
        orchestrator.startPolling(Duration.ofMillis(20));
        server = ServicesServer.start(new ServicesApi(services, Authorizer.bearerToken(TOKEN))::handle,
                new InetSocketAddress("127.0.0.1", port), 4);
        return this;
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** @return the API's URL of {@code path} */
    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String body) throws IOException {
        return FakeService.JSON.readValue(body, Map.class);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
