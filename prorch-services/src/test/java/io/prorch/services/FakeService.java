package io.prorch.services;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A real HTTP service on loopback whose answers a test scripts; records every request it got. */
final class FakeService implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Received(Map<String, Object> body, String idempotencyKey, String callback) {
    }

    /** What to answer to the n-th request (0-based). */
    interface Script {
        Answer answer(int n, Received request) throws Exception;
    }

    /** An answer: status, JSON body, and how long to wait before sending it. */
    record Answer(int status, Object body, long delayMillis) {
        static Answer ok(Object body) {
            return new Answer(200, body, 0);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    FakeService(Script script) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-service");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (exchange) {
                @SuppressWarnings("unchecked")
                Map<String, Object> body = JSON.readValue(exchange.getRequestBody(), Map.class);
                Received request = new Received(body, exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                        exchange.getRequestHeaders().getFirst("Prorch-Callback"));
                int n;
                synchronized (received) {
                    n = received.size();
                    received.add(request);
                }
                Answer answer = script.answer(n, request);
                if (answer.delayMillis() > 0) {
                    Thread.sleep(answer.delayMillis());
                }
                byte[] out = (answer.body() instanceof String s ? s : JSON.writeValueAsString(answer.body()))
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), out.length);
                exchange.getResponseBody().write(out);
            } catch (IOException e) {
                // the client gave up (a read timeout): nothing to answer
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        server.start();
    }

    String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
