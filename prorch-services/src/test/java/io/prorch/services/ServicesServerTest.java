package io.prorch.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's own bounds: a client that stalls mid-body frees its thread in time; a caller whose handler never returns
 * loses its connection at the limit instead of waiting on.
 */
@Timeout(60)
class ServicesServerTest {
    private static final Function<ApiRequest, ApiResponse> OK = request -> new ApiResponse(200, "{\"ok\": true}");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aClientThatStallsMidBodyLosesItsConnectionAndItsThread() throws Exception {
        try (ServicesServer server = ServicesServer.start(OK, new InetSocketAddress("127.0.0.1", 0), 1,
                Duration.ofMillis(300));
             Socket stalled = new Socket("127.0.0.1", server.port())) {
            stalled.setSoTimeout(10_000);
            stalled.getOutputStream().write(("POST /events/w HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"data\":").getBytes(
                    StandardCharsets.US_ASCII));
            long start = System.nanoTime();

            int read = stalled.getInputStream().read();
            Duration held = Duration.ofNanos(System.nanoTime() - start);
            HttpResponse<String> next = get(server);

            assertThat(read).as("closed without an answer").isEqualTo(-1);
            assertThat(held).isLessThan(Duration.ofSeconds(8));
            assertThat(next.statusCode()).as("the only thread is free again").isEqualTo(200);
        }
    }

    @Test
    void aCallerWhoseHandlerNeverReturnsLosesItsConnectionAtTheLimit() throws Exception {
        Function<ApiRequest, ApiResponse> stuck = request -> {
            if (request.path().equals("/stuck")) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new ApiResponse(200, "{}");
        };
        try (ServicesServer server = ServicesServer.start(stuck, new InetSocketAddress("127.0.0.1", 0), 2,
                Duration.ofMillis(300))) {
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/stuck");
            long start = System.nanoTime();

            // a POST: the client retries a GET whose connection closed, which would take the other thread too
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class).isNotInstanceOf(java.net.http.HttpTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            assertThat(get(server).statusCode()).as("the other thread answers (the stuck one sleeps on)")
                    .isEqualTo(200);
        }
    }

    @Test
    void theLimitAndTheThreadsAreChecked() {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        assertThatThrownBy(() -> ServicesServer.start(OK, any, 1, Duration.ZERO))
                .hasMessage("exchangeLimit must be between 1 ms and 1 hour, but was PT0S");
        assertThatThrownBy(() -> ServicesServer.start(OK, any, 1, Duration.ofHours(2)))
                .hasMessage("exchangeLimit must be between 1 ms and 1 hour, but was PT2H");
        assertThatThrownBy(() -> ServicesServer.start(OK, any, 1, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("exchangeLimit");
        assertThatThrownBy(() -> ServicesServer.start(OK, any, 0)).hasMessage("threads must be in [1, 1000], but was 0");
    }

    private HttpResponse<String> get(ServicesServer server) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/counts"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
