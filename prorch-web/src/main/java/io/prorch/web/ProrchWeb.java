package io.prorch.web;

import static java.util.Objects.requireNonNull;

import io.prorch.Orchestrator;
import io.prorch.web.internal.Call;
import io.prorch.web.internal.Gate;
import io.prorch.web.internal.JdkServer;
import io.prorch.web.internal.Reply;
import io.prorch.web.internal.Router;
import io.prorch.web.internal.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page and JSON API of one orchestrator: counts, a filterable list, each pipeline's detail with its steps,
 * metadata, timeline and last error, each definition drawn as a diagram, and (only when enabled) operator actions.
 * Serve it on a port of its own with {@link #start()}, or from the host's server through {@link #handle}.
 *
 * <pre>{@code
 * ProrchWeb web = ProrchWeb.builder(orchestrator).port(8081).build();
 * try (WebServer server = web.start()) {
 *     System.out.println("Status page: " + server.url());
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe and immutable. Every value on a page is HTML-escaped; pages load no script.
 */
public final class ProrchWeb {
    /** Rows on a list page unless a request asks for another {@code limit}. */
    public static final int DEFAULT_PAGE_SIZE = 50;
    /** Longest metadata shown on a page, in characters of indented JSON; the JSON API returns all of it. */
    public static final int DEFAULT_MAX_METADATA_CHARS = 16 * 1024;
    /** Longest a request may take on the server {@link #start()} runs, from its body to the end of the answer. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(ProrchWeb.class);

    private final Builder config;
    private final Router router;

    private ProrchWeb(Builder config) {
        this.config = config;
        this.router = new Router(config.orchestrator, new Settings(config.actionsEnabled, config.pageSize,
                config.maxMetadataChars));
    }

    /**
     * @param orchestrator the orchestrator whose pipelines the page shows and acts on
     * @return a builder with the defaults: port 0 (any free one), 127.0.0.1, actions off, {@link Authorizer#denyAll()}
     * @throws NullPointerException if {@code orchestrator} is null
     */
    public static Builder builder(Orchestrator orchestrator) {
        return new Builder(requireNonNull(orchestrator, "orchestrator"));
    }

    /**
     * Answers one request: the whole page as a plain function, for a host application's own server. Never throws
     * for bad input: unknown paths answer 404, malformed parameters 400, refused actions 403 or 409, a failing store
     * 500; each with a message that says what to do.
     *
     * @throws NullPointerException if {@code request} is null
     */
    public WebResponse handle(WebRequest request) {
        requireNonNull(request, "request");
        Call call = new Call(request.method(), request.path(), request.query(), request.form(), request.headers(),
                request.mountPath(), request.principal());
        Reply reply = router.handle(call, gate(request));
        return new WebResponse(reply.status(), reply.contentType(), reply.headers(), reply.body());
    }

    /**
     * Starts serving on the configured address and port with the JDK's {@code HttpServer}.
     *
     * @return the running server; close it to stop
     * @throws java.io.UncheckedIOException if it cannot bind (the message names the address and port)
     */
    public WebServer start() {
        JdkServer server = JdkServer.start(config.bindAddress, config.port, config.threads,
                config.requestTimeout, call -> {
            WebRequest request = new WebRequest(call.method(), call.path(), call.query(), call.form(), call.headers(),
                    call.mountPath(), call.principal());
            return router.handle(call, gate(request));
        });
        LOG.info("prorch-web: status page at {}", server.url());
        return new WebServer(server);
    }

    private Gate gate(WebRequest request) {
        return (action, pipelineId) -> {
            try {
                return config.authorizer.permits(request, WebAction.ofPathName(action).orElseThrow(), pipelineId);
            } catch (RuntimeException e) {
                LOG.warn("prorch-web: the Authorizer failed on {} of {}; denied", action, pipelineId, e);
                return false;
            }
        };
    }

    /** Configures a {@link ProrchWeb}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final Orchestrator orchestrator;
        private int port;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private boolean actionsEnabled;
        private Authorizer authorizer = Authorizer.denyAll();
        private int pageSize = DEFAULT_PAGE_SIZE;
        private int maxMetadataChars = DEFAULT_MAX_METADATA_CHARS;
        private int threads = 2;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        private Builder(Orchestrator orchestrator) {
            this.orchestrator = orchestrator;
        }

        /**
         * @param port the TCP port {@link #start()} listens on; default 0: any free one ({@link WebServer#url()})
         * @throws IllegalArgumentException if not within 0 to 65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param address the local address {@link #start()} binds to; default the loopback address, so only this
         *     machine reaches the page. {@code "0.0.0.0"} serves every interface: put authentication in front
         * @throws NullPointerException if {@code address} is null
         * @throws IllegalArgumentException if {@code address} is not an IP address or a resolvable host name
         */
        public Builder bindAddress(String address) {
            requireNonNull(address, "address");
            try {
                this.bindAddress = InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bindAddress \"" + address + "\" is not a known host or IP address");
            }
            return this;
        }

        /**
         * @param enabled whether the page offers and serves the operator actions (retry, resume, cancel,
         *     restart-from); default false. Each action then also needs the {@link #authorizer}'s consent
         */
        public Builder actionsEnabled(boolean enabled) {
            this.actionsEnabled = enabled;
            return this;
        }

        /**
         * @param authorizer decides on every operator action; default {@link Authorizer#denyAll()}
         * @throws NullPointerException if {@code authorizer} is null
         */
        public Builder authorizer(Authorizer authorizer) {
            this.authorizer = requireNonNull(authorizer, "authorizer");
            return this;
        }

        /**
         * @param size rows per list page; default {@link #DEFAULT_PAGE_SIZE}
         * @throws IllegalArgumentException if not within 1 to 500
         */
        public Builder pageSize(int size) {
            if (size < 1 || size > 500) {
                throw new IllegalArgumentException("pageSize must be between 1 and 500, but was " + size);
            }
            this.pageSize = size;
            return this;
        }

        /**
         * @param chars longest metadata shown on a page; default {@link #DEFAULT_MAX_METADATA_CHARS}
         * @throws IllegalArgumentException if not within 100 to 10,000,000
         */
        public Builder maxMetadataChars(int chars) {
            if (chars < 100 || chars > 10_000_000) {
                throw new IllegalArgumentException("maxMetadataChars must be between 100 and 10000000, but was "
                        + chars);
            }
            this.maxMetadataChars = chars;
            return this;
        }

        /**
         * @param threads threads of the server {@link #start()} runs; default 2
         * @throws IllegalArgumentException if not within 1 to 64
         */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("threads must be between 1 and 64, but was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * @param timeout longest a request may take on the server {@link #start()} runs, from reading its body to
         *     writing the answer; a client that stalls longer loses its connection. Default
         *     {@link #DEFAULT_REQUEST_TIMEOUT}
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if not within 1 ms to 10 minutes
         */
        public Builder requestTimeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("requestTimeout must be between 1 ms and 10 minutes, but was "
                        + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** @return the page, not serving yet: {@link ProrchWeb#start()} or {@link ProrchWeb#handle} */
        public ProrchWeb build() {
            Builder copy = new Builder(orchestrator);
            copy.port = port;
            copy.bindAddress = bindAddress;
            copy.actionsEnabled = actionsEnabled;
            copy.authorizer = authorizer;
            copy.pageSize = pageSize;
            copy.maxMetadataChars = maxMetadataChars;
            copy.threads = threads;
            copy.requestTimeout = requestTimeout;
            return new ProrchWeb(copy);
        }
    }
}
