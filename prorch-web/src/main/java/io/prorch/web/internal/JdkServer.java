package io.prorch.web.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Serves a {@link Call} handler on the JDK's own {@code HttpServer}, with a small fixed pool of daemon threads. Its
 * connections have Nagle's algorithm off: before JDK 23 (JDK-6968351) the JDK's server writes an answer's headers and
 * body apart, and with Nagle on the body waits for the client's delayed ACK, up to 40 ms an answer. The JDK reads the
 * switch, {@value #NODELAY_PROPERTY}, once, when its first server starts; this class sets it unless it is set already.
 * Likewise {@value #MAX_REQUEST_TIME_PROPERTY}, which the JDK leaves unbounded: a client that opens a connection and
 * never finishes its request line and headers would hold one of the few threads for good; this class bounds it to
 * {@value #MAX_REQUEST_SECONDS} s unless it is set already (the exchange's own limit takes over once the headers are
 * read).
 */
public final class JdkServer implements AutoCloseable {
    /** The JDK's system property that turns {@code TCP_NODELAY} on for the connections of its HTTP servers. */
    public static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    /** The JDK's system property bounding, in seconds, how long its HTTP servers wait for a request's headers. */
    public static final String MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";
    /** What this class sets {@value #MAX_REQUEST_TIME_PROPERTY} to unless it is set. */
    public static final int MAX_REQUEST_SECONDS = 10;

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
    private final ExecutorService executor;
    private final ScheduledExecutorService watchdog;
    private final URI url;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private JdkServer(HttpServer server, ExecutorService executor, ScheduledExecutorService watchdog, URI url) {
        this.server = server;
        this.executor = executor;
        this.watchdog = watchdog;
        this.url = url;
    }

    /**
     * Binds and starts serving; an exchange (body read, answer written) that takes longer than {@code exchangeLimit}
     * loses its connection, so a stalled client cannot hold a thread. A POST body over {@code maxBody} bytes answers
     * 413 unread.
     *
     * @throws UncheckedIOException naming the address if it cannot bind (the port is taken, the address is not local)
     */
    public static JdkServer start(InetAddress bind, int port, int threads, Duration exchangeLimit, int maxBody,
                                  Function<Call, Reply> handler) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("prorch-web cannot listen on " + bind.getHostAddress() + ":" + port + " ("
                    + e.getMessage() + "); choose another port, or 0 for any free one", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "prorch-web");
            thread.setDaemon(true);
            return thread;
        });
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "prorch-web-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            // the JDK server bounds no exchange: closing it unblocks a handler stuck reading or writing
            ScheduledFuture<?> limit = watchdog.schedule(exchange::close, exchangeLimit.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                serve(exchange, maxBody, handler);
            } finally {
                limit.cancel(false);
            }
        });
        server.start();
        String host = bind.getHostAddress().contains(":") ? "[" + bind.getHostAddress() + "]" : bind.getHostAddress();
        if (bind.isAnyLocalAddress()) {
            host = "127.0.0.1";
        }
        return new JdkServer(server, executor, watchdog,
                URI.create("http://" + host + ":" + server.getAddress().getPort() + "/"));
    }

    /** @return where the page is served, ending in {@code /} */
    public URI url() {
        return url;
    }

    /** Stops accepting requests, closes every connection (a request in flight gets no answer), stops the threads. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        watchdog.shutdownNow();
    }

    private static void serve(HttpExchange exchange, int maxBody, Function<Call, Reply> handler) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = handler.apply(call(exchange, maxBody));
            } catch (RuntimeException e) {
                // a malformed request: the query or body could not be decoded
                int status = Forms.statusOf(e);
                reply = new Reply(status, "text/plain; charset=utf-8", Map.of(),
                        String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
            exchange.sendResponseHeaders(reply.status(), head || reply.body().length == 0 ? -1 : reply.body().length);
            if (!head && reply.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        }
    }

    private static Call call(HttpExchange exchange, int maxBody) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                List.copyOf(values)));
        // the form is decoded from the body later, only for the page: WebRoutes read the body as it came
        byte[] body = method.equals("POST") ? Forms.read(exchange.getRequestBody(), maxBody) : new byte[0];
        String path = exchange.getRequestURI().getPath();
        return new Call(method, path == null || path.isEmpty() ? "/" : path,
                Forms.decode(exchange.getRequestURI().getRawQuery()), Map.of(), headers, "",
                exchange.getPrincipal() == null ? null : exchange.getPrincipal().getUsername(), body);
    }
}
