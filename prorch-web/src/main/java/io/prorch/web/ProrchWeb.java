package io.prorch.web;

import static java.util.Objects.requireNonNull;

import io.prorch.Orchestrator;
import io.prorch.web.internal.Call;
import io.prorch.web.internal.Csrf;
import io.prorch.web.internal.Forms;
import io.prorch.web.internal.Gate;
import io.prorch.web.internal.JdkServer;
import io.prorch.web.internal.Reply;
import io.prorch.web.internal.Router;
import io.prorch.web.internal.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page and JSON API of one orchestrator: counts, a filterable list, each pipeline's detail with its steps,
 * metadata, timeline and last error, each definition drawn as a diagram, and (only when enabled) operator actions;
 * plus the endpoints of the {@link WebRoutes} it is built with (prorch-services' HTTP API). Serve it on a port of its
 * own with {@link #start()}, or from the host's server through {@link #handle}.
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

    /**
     * The first path segments the page serves itself ({@code ""} is the overview at {@code /}); {@link WebRoutes} may
     * claim any other.
     */
    public static final Set<String> PAGE_SEGMENTS = Set.of("", "api", "pipelines", "definitions", "style.css");
    private static final Logger LOG = LoggerFactory.getLogger(ProrchWeb.class);

    private final Builder config;
    private final Router router;
    private final Map<String, WebRoutes> routes = new HashMap<>();
    private final int maxBodyBytes;

    private ProrchWeb(Builder config) {
        this.config = config;
        this.router = new Router(config.orchestrator, new Settings(config.actionsEnabled, config.pageSize,
                config.maxMetadataChars));
        int max = Forms.MAX_BODY;
        for (WebRoutes r : config.routes) {
            r.segments().forEach(segment -> routes.put(segment, r));
            max = Math.max(max, r.maxBodyBytes());
        }
        this.maxBodyBytes = max;
    }

    /**
     * @param orchestrator the orchestrator whose pipelines the page shows and acts on
     * @return a builder with the defaults: port 0 (any free one), 127.0.0.1, actions off, {@link Authorizer#denyAll()},
     *     no {@link WebRoutes}
     * @throws NullPointerException if {@code orchestrator} is null
     */
    public static Builder builder(Orchestrator orchestrator) {
        return new Builder(requireNonNull(orchestrator, "orchestrator"));
    }

    /**
     * Answers one request: the whole page, and the {@link WebRoutes} it was built with, as a plain function for a
     * host application's own server. Never throws for bad input: unknown paths answer 404, malformed parameters 400,
     * bodies over the limit 413, refused actions 403 or 409, a failing store 500; each with a message that says what
     * to do.
     *
     * @throws NullPointerException if {@code request} is null
     */
    public WebResponse handle(WebRequest request) {
        requireNonNull(request, "request");
        Reply reply = answer(request);
        return new WebResponse(reply.status(), reply.contentType(), reply.headers(), reply.body());
    }

    /**
     * @return the largest request body {@link #handle} reads: a server adapter answers 413 to longer ones. 16 KiB for
     *     the page alone, more if {@link WebRoutes} accept more
     */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * Starts serving the page and its {@link WebRoutes} on the configured address and port with the JDK's
     * {@code HttpServer}.
     *
     * @return the running server; close it to stop
     * @throws java.io.UncheckedIOException if it cannot bind (the message names the address and port)
     */
    public WebServer start() {
        JdkServer server = JdkServer.start(config.bindAddress, config.port, config.threads,
                config.requestTimeout, maxBodyBytes, call -> answer(new WebRequest(call.method(), call.path(),
                        call.query(), call.form(), call.headers(), call.mountPath(), call.principal(), call.body())));
        LOG.info("prorch-web: status page at {}", server.url());
        return new WebServer(server);
    }

    private Reply answer(WebRequest request) {
        WebRoutes extra = routes.get(firstSegment(request.path()));
        if (extra != null) {
            return Router.secured(routed(extra, request));
        }
        Map<String, List<String>> form = request.form();
        if (form.isEmpty() && request.body().length > 0) {
            try {
                form = Forms.parse(request.header("Content-Type"), request.body());
            } catch (RuntimeException e) {
                return new Reply(Forms.statusOf(e), "text/plain; charset=utf-8", Map.of(),
                        String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
            }
        }
        return router.handle(call(request).withForm(form), gate(request));
    }

    private Reply routed(WebRoutes extra, WebRequest request) {
        if (request.body().length > extra.maxBodyBytes()) {
            return Router.jsonError(413, "The request body is larger than " + extra.maxBodyBytes() + " bytes");
        }
        try {
            WebResponse answer = requireNonNull(extra.handle(request, guard(request)), "the routes' answer");
            return new Reply(answer.status(), answer.contentType(), answer.headers(), answer.body());
        } catch (RuntimeException e) {
            LOG.warn("prorch-web: {} {} failed in {}", request.method(), request.path(), extra.getClass().getName(), e);
            return Router.jsonError(500, request.method() + " " + request.path() + " failed: " + e);
        }
    }

    private WebGuard guard(WebRequest request) {
        return new WebGuard() {
            @Override
            public Optional<WebResponse> crossSiteRefusal() {
                String crossSite = Csrf.crossSite(call(request));
                return crossSite == null ? Optional.empty() : forbidden("Refused (CSRF check): " + crossSite
                        + "; a page of another site may not call this, a server-side client (which sends no Origin "
                        + "header) may");
            }

            @Override
            public Optional<WebResponse> refusal(WebAction action, UUID pipelineId) {
                requireNonNull(action, "action");
                Optional<WebResponse> crossSite = crossSiteRefusal();
                if (crossSite.isPresent() || permits(request, action, pipelineId)) {
                    return crossSite;
                }
                return forbidden("Not allowed: the Authorizer refused " + action.pathName() + (pipelineId == null ? ""
                        : " of pipeline " + pipelineId) + (request.principal() == null ? " to an anonymous user"
                        : " to " + request.principal()));
            }
        };
    }

    private static Optional<WebResponse> forbidden(String message) {
        Reply reply = Router.secured(Router.jsonError(403, message));
        return Optional.of(new WebResponse(reply.status(), reply.contentType(), reply.headers(), reply.body()));
    }

    private Gate gate(WebRequest request) {
        return (action, pipelineId) -> permits(request, WebAction.ofPathName(action).orElseThrow(), pipelineId);
    }

    private boolean permits(WebRequest request, WebAction action, UUID pipelineId) {
        try {
            return config.authorizer.permits(request, action, pipelineId);
        } catch (RuntimeException e) {
            LOG.warn("prorch-web: the Authorizer failed on {} of {}; denied", action, pipelineId, e);
            return false;
        }
    }

    private static Call call(WebRequest r) {
        return new Call(r.method(), r.path(), r.query(), r.form(), r.headers(), r.mountPath(), r.principal(), r.body());
    }

    private static String firstSegment(String path) {
        int end = path.indexOf('/', 1);
        return end < 0 ? path.substring(1) : path.substring(1, end);
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
        private final List<WebRoutes> routes = new ArrayList<>();

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

        /**
         * Adds endpoints served beside the page, on the same port or servlet and under the same
         * {@link #authorizer}, such as prorch-services' HTTP API ({@code ServicesRoutes.create(services)}); may be
         * called more than once. Default: none.
         *
         * @throws NullPointerException if {@code routes} or its segments are null
         * @throws IllegalArgumentException if a segment is empty, holds {@code /}, is one of
         *     {@link ProrchWeb#PAGE_SEGMENTS} or claimed by routes added before, or {@code maxBodyBytes} is not
         *     within 0 to 64 MiB
         */
        public Builder routes(WebRoutes routes) {
            requireNonNull(routes, "routes");
            Set<String> segments = requireNonNull(routes.segments(), "routes.segments()");
            for (String segment : segments) {
                requireNonNull(segment, "a segment of " + routes.getClass().getName());
                if (segment.isEmpty() || segment.contains("/") || PAGE_SEGMENTS.contains(segment)) {
                    throw new IllegalArgumentException(routes.getClass().getName() + " claims the path segment \""
                            + segment + "\"; a segment must be non-empty, hold no /, and not be one of the page's "
                            + PAGE_SEGMENTS);
                }
                for (WebRoutes before : this.routes) {
                    if (before.segments().contains(segment)) {
                        throw new IllegalArgumentException(routes.getClass().getName() + " claims the path segment \""
                                + segment + "\", which " + before.getClass().getName() + " serves already; add "
                                + "each routes once");
                    }
                }
            }
            if (routes.maxBodyBytes() < 0 || routes.maxBodyBytes() > 64 << 20) {
                throw new IllegalArgumentException("maxBodyBytes of " + routes.getClass().getName()
                        + " must be between 0 and 67108864, but was " + routes.maxBodyBytes());
            }
            this.routes.add(routes);
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
            copy.routes.addAll(routes);
            return new ProrchWeb(copy);
        }
    }
}
