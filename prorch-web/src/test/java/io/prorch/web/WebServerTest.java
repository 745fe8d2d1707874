package io.prorch.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.Orchestrator;
import io.prorch.PipelineView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The page on a port of its own, over real HTTP on 127.0.0.1. */
@Timeout(60)
class WebServerTest {
    private final Orchestrator orchestrator = Shop.orchestrator();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() {
        orchestrator.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndTheApiUntilClosed() throws Exception {
        PipelineView p = Shop.order(orchestrator, "order-1", Map.of("order", "order-1"));
        URI url;
        try (WebServer server = ProrchWeb.builder(orchestrator).build().start()) {
            url = server.url();
            assertThat(url.toString()).startsWith("http://127.0.0.1:").endsWith("/");
            assertThat(server.port()).isPositive();

            HttpResponse<String> page = send(HttpRequest.newBuilder(url));
            HttpResponse<String> api = send(HttpRequest.newBuilder(url.resolve("api/pipelines?status=finished")));
            HttpResponse<String> css = send(HttpRequest.newBuilder(url.resolve("style.css")));

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("Order", p.id().toString());
            assertThat(api.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(api.body()).contains("\"id\":\"" + p.id() + "\"", "\"status\":\"finished\"");
            assertThat(css.body()).contains(".diagram");
        }
        assertThatThrownBy(() -> send(HttpRequest.newBuilder(url))).isInstanceOf(IOException.class);
    }

    @Test
    void refusesOversizedBodiesAndMalformedQueries() throws Exception {
        try (WebServer server = ProrchWeb.builder(orchestrator).actionsEnabled(true).build().start()) {
            HttpResponse<String> huge = send(HttpRequest.newBuilder(server.url().resolve(
                            "api/pipelines/7f3c0a52-5d1e-4c47-9a0e-2b8f6d4c1e90/retry"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("a=" + "x".repeat(20_000))));
            String badQuery = raw(server, "GET /api/pipelines?name=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n");
            HttpResponse<String> badJson = send(HttpRequest.newBuilder(server.url().resolve(
                            "api/pipelines/7f3c0a52-5d1e-4c47-9a0e-2b8f6d4c1e90/retry"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[1")));

            assertThat(huge.statusCode()).isEqualTo(413);
            assertThat(badQuery).startsWith("HTTP/1.1 400");
            assertThat(badJson.statusCode()).isEqualTo(400);
            assertThat(badJson.body()).contains("JSON body is malformed");
        }
    }

    /** Sends what HttpClient refuses to: a request line with a malformed escape. */
    private static String raw(WebServer server, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void itsConnectionsHaveNaglesAlgorithmOffSoNoAnswerWaitsForADelayedAck() {
        try (WebServer server = ProrchWeb.builder(orchestrator).build().start()) {
            assertThat(server.port()).isPositive();
            // read by the JDK once, when its first HTTP server starts: nothing else in this JVM sets it
            assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
        }
    }

    @Test
    void aTakenPortIsReportedWithTheFix() {
        try (WebServer first = ProrchWeb.builder(orchestrator).build().start()) {
            ProrchWeb second = ProrchWeb.builder(orchestrator).port(first.port()).build();

            assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port())
                    .hasMessageContaining("choose another port");
        }
    }

    @Test
    void aClientThatStallsLosesItsConnectionAndItsThread() throws Exception {
        try (WebServer server = ProrchWeb.builder(orchestrator).threads(1).requestTimeout(Duration.ofMillis(300))
                .actionsEnabled(true).build().start();
             Socket stalled = new Socket("127.0.0.1", server.port())) {
            stalled.setSoTimeout(10_000);
            stalled.getOutputStream().write(("POST /api/pipelines/7f3c0a52-5d1e-4c47-9a0e-2b8f6d4c1e90/retry"
                    + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 100\r\n\r\nversion=").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();

            int read = stalled.getInputStream().read();
            HttpResponse<String> next = send(HttpRequest.newBuilder(server.url().resolve("api/counts")));

            assertThat(read).as("closed without an answer").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            assertThat(next.statusCode()).as("the only thread is free again").isEqualTo(200);
        }
    }

    @Test
    void aClientThatNeverFinishesItsHeadersLosesItsConnectionAndItsThread() throws Exception {
        try (WebServer server = ProrchWeb.builder(orchestrator).threads(1).build().start();
             Socket stalled = new Socket("127.0.0.1", server.port())) {
            // read by the JDK once, when its first HTTP server starts: nothing else in this JVM sets it
            assertThat(System.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("10");
            stalled.setSoTimeout(30_000);
            stalled.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"   // no blank line: unfinished
                    .getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();

            int read = stalled.getInputStream().read();
            Duration held = Duration.ofNanos(System.nanoTime() - start);
            HttpResponse<String> next = send(HttpRequest.newBuilder(server.url().resolve("api/counts")));

            assertThat(read).as("closed without an answer").isEqualTo(-1);
            assertThat(held).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(25));
            assertThat(next.statusCode()).as("the only thread is free again").isEqualTo(200);
        }
    }

    @Test
    void theRequestTimeoutIsChecked() {
        assertThatThrownBy(() -> ProrchWeb.builder(orchestrator).requestTimeout(Duration.ZERO))
                .hasMessageContaining("requestTimeout must be between 1 ms and 10 minutes, but was PT0S");
        assertThatThrownBy(() -> ProrchWeb.builder(orchestrator).requestTimeout(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void closeIsIdempotent() {
        WebServer server = ProrchWeb.builder(orchestrator).build().start();

        server.close();
        server.close();

        assertThat(server.port()).isPositive();
    }
}
