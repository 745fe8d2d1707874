package io.prorch.services;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Serves a request handler ({@link ServicesApi#handle}, {@link ServiceEndpoint#handle}) with the JDK's HTTP server. Bodies over 1 MiB answer
 * {@code 413}. Close it to stop serving.
 *
 * <p>Its connections have Nagle's algorithm off ({@code TCP_NODELAY}): until JDK 23 (JDK-6968351) the JDK's server
 * writes an answer's headers and body in two sends, and with Nagle on, the body waits for the client's delayed ACK of
 * the headers, up to 40 ms on Linux, on every answer. The JDK reads that setting once, from the system property
 * {@value #NODELAY_PROPERTY}, when its first server starts; this class sets it to {@code true} unless it is set
 * already (set it to {@code false} to keep Nagle on), so it applies to every JDK server of the JVM, and reaches none
 * if a JDK server started before this class was first used (then set the property at launch:
 * {@code -Dsun.net.httpserver.nodelay=true}). In the same way it bounds the wait for a request's line and headers,
 * which the JDK leaves unbounded, to {@value #MAX_REQUEST_SECONDS} s ({@value #MAX_REQUEST_TIME_PROPERTY}), so that a
 * client that never finishes its headers cannot hold one of the server's threads for good.
 *
 * <pre>{@code
 * try (ServicesServer server = ServicesServer.start(api::handle, new InetSocketAddress("127.0.0.1", 8080), 8)) { ... }
 * }</pre>
 */
public final class ServicesServer implements AutoCloseable {
    /** The JDK's system property that turns {@code TCP_NODELAY} on for the connections of its HTTP servers. */
    public static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    /** The JDK's system property bounding, in seconds, how long its HTTP servers wait for a request's headers. */
    public static final String MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";
    /** What this class sets {@value #MAX_REQUEST_TIME_PROPERTY} to unless it is set. */
    public static final int MAX_REQUEST_SECONDS = 10;
    /**
     * The longest an exchange may take unless {@link #start(Function, InetSocketAddress, int, Duration)} says
     * otherwise: twice the {@link Services#DEFAULT_READ_TIMEOUT} after which prorch's own calls give up.
     */
    public static final Duration DEFAULT_EXCHANGE_LIMIT = Duration.ofSeconds(60);

    static {
        try {
            if (System.getProperty(NODELAY_PROPERTY) == null) {
                System.setProperty(NODELAY_PROPERTY, "true");
            }
            if (System.getProperty(MAX_REQUEST_TIME_PROPERTY) == null) {
                System.setProperty(MAX_REQUEST_TIME_PROPERTY, Integer.toString(MAX_REQUEST_SECONDS));
            }
        } catch (SecurityException refused) {
            // a security manager keeps the properties as they are: the server works, with the JDK's default
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final ScheduledExecutorService watchdog;

    private ServicesServer(HttpServer server, ExecutorService threads, ScheduledExecutorService watchdog) {
        this.server = server;
        this.threads = threads;
        this.watchdog = watchdog;
    }

    /**
     * Starts a server whose exchanges may take up to {@link #DEFAULT_EXCHANGE_LIMIT}.
     *
     * @param handler answers every request; should not throw (a throw answers 500)
     * @param address where to listen; port 0 picks a free one
     * @param threads how many requests are handled at once, in [1, 1000]
     * @return the running server
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code threads} is out of range
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static ServicesServer start(Function<ApiRequest, ApiResponse> handler, InetSocketAddress address,
                                       int threads) {
        return start(handler, address, threads, DEFAULT_EXCHANGE_LIMIT);
    }

    /**
     * Starts a server; an exchange (its body read, the handler's answer written) that takes longer than
     * {@code exchangeLimit} loses its connection without an answer: a client that stalls mid-body cannot hold one of
     * its threads for good, and a caller whose handler never returns is not kept waiting past it (that handler's
     * thread stays busy until it returns).
     *
     * @param handler answers every request; should not throw (a throw answers 500)
     * @param address where to listen; port 0 picks a free one
     * @param threads how many requests are handled at once, in [1, 1000]
     * @param exchangeLimit the longest an exchange may take, in [1 ms, 1 h]
     * @return the running server
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code threads} or {@code exchangeLimit} is out of range
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static ServicesServer start(Function<ApiRequest, ApiResponse> handler, InetSocketAddress address,
                                       int threads, Duration exchangeLimit) {
        requireNonNull(handler, "handler");
        requireNonNull(address, "address");
        requireNonNull(exchangeLimit, "exchangeLimit");
        if (threads < 1 || threads > 1000) {
            throw new IllegalArgumentException("threads must be in [1, 1000], but was " + threads);
        }
        if (exchangeLimit.compareTo(Duration.ofMillis(1)) < 0 || exchangeLimit.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("exchangeLimit must be between 1 ms and 1 hour, but was "
                    + exchangeLimit);
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "prorch-services-http");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "prorch-services-http-watchdog");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            // the JDK's server bounds no exchange: closing it unblocks a thread stuck reading or writing
            ScheduledFuture<?> limit = watchdog.schedule(exchange::close, exchangeLimit.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                serve(handler, exchange);
            } finally {
                limit.cancel(false);
            }
        });
        server.start();
        return new ServicesServer(server, pool, watchdog);
    }

    /** @return the port it listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void serve(Function<ApiRequest, ApiResponse> handler, HttpExchange exchange) throws IOException {
        try (exchange) {
            ApiResponse response;
            byte[] body = read(exchange);
            if (body == null) {
                response = new ApiResponse(413, Json.write(java.util.Map.of("error", "body over "
                        + Json.MAX_DOCUMENT_CHARS + " bytes")));
            } else {
                response = answer(handler, new ApiRequest(exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(), exchange.getRequestHeaders(),
                        new String(body, StandardCharsets.UTF_8)));
            }
            byte[] out = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.status(), out.length);
            exchange.getResponseBody().write(out);
        }
    }

    private static ApiResponse answer(Function<ApiRequest, ApiResponse> handler, ApiRequest request) {
        try {
            return handler.apply(request);
        } catch (RuntimeException e) {
            return new ApiResponse(500, Json.write(java.util.Map.of("error", String.valueOf(e))));
        }
    }

    /**
     * @return the body, or null if it is over the limit; read into an array of its declared length where there is one
     *     (else in 8 KiB pieces, as a chunked body must be)
     */
    private static byte[] read(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        long declared = declaredLength(exchange);
        if (declared > Json.MAX_DOCUMENT_CHARS) {
            // read past the limit, as a body without a length is: the JDK drains only a little of what is left before
            // it answers, and closing on a large unread rest can reset the connection before the 413 is read
            discard(in, Json.MAX_DOCUMENT_CHARS + 1L);
            return null;
        }
        byte[] body = in.readNBytes(declared >= 0 ? (int) declared : Json.MAX_DOCUMENT_CHARS + 1);
        return body.length > Json.MAX_DOCUMENT_CHARS ? null : body;
    }

    private static void discard(InputStream in, long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    return;
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** @return the request's Content-Length, or -1 if it has none (chunked) or one that is not a number */
    private static long declaredLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        if (value == null || exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Stops accepting requests, lets those in flight finish for up to a second, and stops its threads. */
    @Override
    public void close() {
        server.stop(1);
        threads.shutdown();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.shutdownNow();
    }
}
