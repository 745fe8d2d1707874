package io.prorch.web;

import io.prorch.web.internal.JdkServer;
import java.net.URI;

/** A running status page on a port of its own, as {@link ProrchWeb#start()} returns it; close it to stop. */
public final class WebServer implements AutoCloseable {
    private final JdkServer server;

    WebServer(JdkServer server) {
        this.server = server;
    }

    /** @return the page's address, such as {@code http://127.0.0.1:8081/} */
    public URI url() {
        return server.url();
    }

    /** @return the port it listens on (the one chosen when the builder said 0) */
    public int port() {
        return server.url().getPort();
    }

    /** Stops serving at once: open connections are closed, a request in flight gets no answer. Idempotent. */
    @Override
    public void close() {
        server.close();
    }
}
