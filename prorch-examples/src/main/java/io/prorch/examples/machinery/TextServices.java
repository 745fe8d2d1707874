package io.prorch.examples.machinery;

import io.prorch.services.ApiResponse;
import io.prorch.services.ServiceEndpoint;
import io.prorch.services.ServicesServer;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's three services on loopback: {@code upper}, {@code reverse}, {@code space-counter}, each a
 * {@link ServiceEndpoint} that runs its command once per idempotency key. With chaos, {@code reverse} answers every
 * other call {@code 503} before looking at it.
 */
final class TextServices implements AutoCloseable {
    final Map<String, ServiceEndpoint> endpoints = new LinkedHashMap<>();
    final Map<String, String> addresses = new LinkedHashMap<>();
    final AtomicLong refused = new AtomicLong();
    private final List<ServicesServer> servers;

    TextServices(boolean chaos) {
        endpoints.put("upper", ServiceEndpoint.builder().command("upper",
                data -> Map.of("message", text(data).toUpperCase())).build());
        endpoints.put("reverse", ServiceEndpoint.builder().command("reverse",
                data -> Map.of("message", new StringBuilder(text(data)).reverse().toString())).build());
        endpoints.put("space-counter", ServiceEndpoint.builder().command("space-counter",
                data -> Map.of("space_count", text(data).chars().filter(c -> c == ' ').count())).build());
        AtomicLong reverseCalls = new AtomicLong();
        servers = endpoints.entrySet().stream().map(e -> {
            ServiceEndpoint endpoint = e.getValue();
            boolean failing = chaos && e.getKey().equals("reverse");
            ServicesServer server = ServicesServer.start(request -> {
                if (failing && reverseCalls.getAndIncrement() % 2 == 0) {
                    refused.incrementAndGet();
                    return new ApiResponse(503, "{\"error\": \"chaos: try again\"}");
                }
                return endpoint.handle(request);
            }, new InetSocketAddress("127.0.0.1", 0), 8);
            addresses.put(e.getKey(), "http://127.0.0.1:" + server.port() + "/" + e.getKey());
            return server;
        }).toList();
    }

    private static String text(Map<String, Object> data) {
        if (!(data.get("message") instanceof String message)) {
            throw new IllegalArgumentException("\"message\" must be a string");
        }
        return message;
    }

    @Override
    public void close() {
        servers.forEach(ServicesServer::close);
    }
}
