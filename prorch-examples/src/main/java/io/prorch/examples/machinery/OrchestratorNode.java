package io.prorch.examples.machinery;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.RetryPolicy;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.services.ApiRequest;
import io.prorch.services.ApiResponse;
import io.prorch.services.Authorizer;
import io.prorch.services.Registration;
import io.prorch.services.ServiceDefinition;
import io.prorch.services.Services;
import io.prorch.services.ServicesApi;
import io.prorch.services.ServicesServer;
import io.prorch.services.WorkflowDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The orchestrator side: a database, prorch, the definitions from this package's JSON files (with the services'
 * real loopback addresses), and machinery's HTTP API. In {@code --chaos} it runs as a child JVM ({@link #main}) that
 * the example kills.
 */
public final class OrchestratorNode implements AutoCloseable {
    static final List<String> SERVICE_FILES = List.of("service-upper.json", "service-reverse.json",
            "service-space-counter.json");
    static final String WORKFLOW_FILE = "workflow-process-text.json";

    final List<Registration> registrations = new ArrayList<>();
    private final HikariDataSource dataSource;
    private final Orchestrator orchestrator;
    private final ServicesServer server;

    /**
     * @param port the API's port; 0 for any
     * @param addresses each service's name and loopback URL
     */
    OrchestratorNode(String jdbcUrl, int port, Map<String, String> addresses) {
        AtomicReference<Function<ApiRequest, ApiResponse>> api = new AtomicReference<>(
                r -> new ApiResponse(503, "{\"error\": \"starting\"}"));
        this.server = ServicesServer.start(r -> api.get().apply(r), new InetSocketAddress("127.0.0.1", port), 8);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(jdbcUrl.startsWith("jdbc:h2:") ? "sa" : null);
        config.setMaximumPoolSize(12);
        config.setConnectionTimeout(5_000);
        this.dataSource = new HikariDataSource(config);
        Services services = Services.builder().callbackBase(URI.create("http://127.0.0.1:" + server.port()))
                .readTimeout(Duration.ofSeconds(5))
                // a service failing half its calls fails 8 in a row once in 256: 20 attempts make it one in a million
                .retryPolicy(RetryPolicy.exponential(20, Duration.ofMillis(100), Duration.ofSeconds(2))).build();
        for (String file : SERVICE_FILES) {
            ServiceDefinition read = ServiceDefinition.fromJson(resource(file));
            registrations.add(services.registerService(new ServiceDefinition(read.name(),
                    addresses.get(read.name()), read.inputs(), read.outputs())));
        }
        registrations.add(services.registerWorkflow(WorkflowDefinition.fromJson(resource(WORKFLOW_FILE))));
        this.orchestrator = new Orchestrator(services.configure(OrchestratorConfig.builder()
                .repository(JdbcRepository.create(dataSource)).claimDuration(Duration.ofSeconds(3))
                .workerThreads(8)).build());
        services.bind(orchestrator);
        orchestrator.startPolling(Duration.ofMillis(100));
        api.set(new ServicesApi(services, Authorizer.denyAll())::handle);
    }

    /** @return the API's port */
    int port() {
        return server.port();
    }

    static String resource(String file) {
        try (InputStream in = OrchestratorNode.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("resource " + file + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        orchestrator.close();
        dataSource.close();
    }

    /**
     * The child JVM of {@code --chaos}: {@code --db URL --port P name=URL...}; prints {@code ready} once serving, and
     * runs until killed, until the JVM that started it is gone (an orphan would hold the port and the database), or for
     * 10 minutes at most.
     */
    public static void main(String[] args) throws Exception {
        String url = null;
        int port = 0;
        Map<String, String> addresses = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> url = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                default -> addresses.put(args[i].substring(0, args[i].indexOf('=')),
                        args[i].substring(args[i].indexOf('=') + 1));
            }
        }
        OrchestratorNode node = new OrchestratorNode(url, port, addresses);
        watchParent();
        System.out.println("ready " + node.port());
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10).toMillis());   // bounded: the parent kills or outlives it
        node.close();
    }

    /**
     * Halts this JVM once its parent process is gone, looking every second on a daemon thread. Gone shows as a new
     * parent (the orphan is adopted by init): a handle to the dead parent may go on answering {@code isAlive()}.
     */
    private static void watchParent() {
        long parent = parentPid();
        Thread watch = new Thread(() -> {
            try {
                while (parentPid() == parent) {
                    Thread.sleep(1000);
                }
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    private static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }
}
