package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.services.Authorizer;
import io.prorch.services.Field;
import io.prorch.services.FieldType;
import io.prorch.services.ServiceDefinition;
import io.prorch.services.ServiceEndpoint;
import io.prorch.services.Services;
import io.prorch.services.ServicesApi;
import io.prorch.services.ServicesServer;
import io.prorch.services.WorkflowDefinition;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --mode services}: machinery's workflow end to end. Three loopback services (upper, reverse, space-counter),
 * the {@code process-text} workflow, and {@code --submitters} (8) client threads POSTing {@code --n} (2000) events to
 * {@code /e/process-text} over HTTP. Reported: workflows per second completed end to end (first POST until the
 * database shows every pipeline finished; 3 HTTP calls each) and the accept latency of the POST (p50, p99, max).
 * Also {@code --workers} (16), {@code --timeout} seconds (300). Its own schema ({@code b_prorch_services}) on
 * PostgreSQL, so it never meets another mode's tables.
 *
 * <p>First {@code --warmup} events (2000), the same way, waited for and not counted: as in the other modes, the
 * figures are those of a running service, not of a JVM still compiling its HTTP server, client and JDBC paths (on 2
 * cores, a cold run spends its first seconds in the JIT; {@code --warmup 0} measures that). 2000 rather than the
 * other modes' 500: each event runs the per-request code only a few times, and after 500 events the measured ones
 * still shared the 2 cores with the JIT's compiler threads (3.3 ms of JVM CPU per workflow, 2.4 after 2000, 1.9
 * after 5000, same jar).
 */
final class ServicesMode {
    private ServicesMode() {
    }

    /** @return the RESULT line's fields */
    static Map<String, Object> run(BenchOptions options) throws Exception {
        int n = options.integer("n", 2000);
        int clients = options.integer("submitters", 8);
        int workers = options.integer("workers", 16);
        int warmup = options.integer("warmup", 2000);
        long deadline = System.nanoTime() + options.integer("timeout", 300) * 1_000_000_000L;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch services: 3 HTTP calls per workflow, clients=" + clients + ", workers=" + workers
                + ", pool=" + (workers + 4));
        r.put("n", n);
        r.put("warmup", warmup);
        List<ServicesServer> servers = new ArrayList<>();
        try (HikariDataSource ds = dataSource(options, workers + 4)) {
            Services services = Services.builder().readTimeout(Duration.ofSeconds(10)).build();
            register(services, servers);
            try (Orchestrator orchestrator = new Orchestrator(services.configure(OrchestratorConfig.builder()
                    .repository(JdbcRepository.create(ds)).workerThreads(workers).claimDuration(Duration.ofSeconds(30)))
                    .build())) {
                services.bind(orchestrator);
                orchestrator.startPolling(Duration.ofMillis(200));
                ServicesServer api = ServicesServer.start(new ServicesApi(services, Authorizer.denyAll())::handle,
                        new InetSocketAddress("127.0.0.1", 0), clients);
                servers.add(api);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                URI post = URI.create("http://127.0.0.1:" + api.port() + "/e/process-text");
                PeersWorkload.Submitter submitter = PeersWorkload.submitters(clients, i -> {
                    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(post)
                            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"data\": {\"message\": \"event " + i + ": The Sun will rise in the morning !\"}}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() != 202) {
                        throw new IllegalStateException("POST answered " + answer.statusCode() + ": " + answer.body());
                    }
                });
                submitter.submit(0, warmup);
                if (awaitFinished(ds, warmup, deadline) < warmup) {
                    r.put("status", "TIMEOUT_IN_WARMUP");
                    return r;
                }
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                long[] accept = submitter.submit(warmup, n);
                long finished = awaitFinished(ds, warmup + n, deadline) - warmup;
                double seconds = (System.nanoTime() - t0) / 1e9;
                long cpu = processCpuNanos() - cpu0;
                Arrays.sort(accept);
                r.put("workflows_s", BenchMeasures.round(finished / seconds));
                r.put("wall_ms", BenchMeasures.round(seconds * 1000));
                r.put("accept_p50_ms", BenchMeasures.round(accept[n / 2] / 1e6));
                r.put("accept_p99_ms", BenchMeasures.round(accept[n * 99 / 100] / 1e6));
                r.put("accept_max_ms", BenchMeasures.round(accept[n - 1] / 1e6));
                r.put("completed", finished);
                r.put("jvm_cpu_ms_per_wf", finished == 0 ? 0 : BenchMeasures.round(cpu / 1e6 / finished));
                r.put("failed", BenchDatabase.count(ds, "SELECT COUNT(*) FROM pipelines WHERE status = 'failed'"));
                r.put("status", finished == n ? "OK" : "TIMEOUT");
            }
        } finally {
            servers.forEach(ServicesServer::close);
        }
        r.put("submitters", clients);
        return r;
    }

    /**
     * @return the CPU time of this JVM so far (clients, services and orchestrator; not PostgreSQL's): divided by the
     *     workflows, a cost per workflow that a machine shared with other work does not move as much as a rate
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** @return how many pipelines finished, once {@code count} did or the deadline passed */
    private static long awaitFinished(HikariDataSource ds, int count, long deadline) throws Exception {
        long finished;
        while ((finished = BenchDatabase.count(ds, "SELECT COUNT(*) FROM pipelines WHERE status = 'finished'"))
                < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return finished;
    }

    private static void register(Services services, List<ServicesServer> servers) {
        Map<String, ServiceEndpoint.Command> commands = new LinkedHashMap<>();
        commands.put("upper", data -> Map.of("message", ((String) data.get("message")).toUpperCase()));
        commands.put("reverse", data -> Map.of("message",
                new StringBuilder((String) data.get("message")).reverse().toString()));
        commands.put("space-counter", data -> Map.of("space_count",
                ((String) data.get("message")).chars().filter(c -> c == ' ').count()));
        Field message = Field.of("message", FieldType.STRING);
        Field count = Field.of("space_count", FieldType.INT);
        commands.forEach((name, command) -> {
            ServicesServer server = ServicesServer.start(ServiceEndpoint.builder().command(name, command).build()
                    ::handle, new InetSocketAddress("127.0.0.1", 0), 8);
            servers.add(server);
            services.registerService(new ServiceDefinition(name, "http://127.0.0.1:" + server.port() + "/" + name,
                    List.of(message), List.of(name.equals("space-counter") ? count : message)));
        });
        services.registerWorkflow(new WorkflowDefinition("process-text", List.copyOf(commands.keySet()),
                List.of(message), List.of(message, count), List.of()));
    }

    private static HikariDataSource dataSource(BenchOptions options, int size) throws Exception {
        if (!options.pg()) {
            String dir;
            try {
                dir = options.value("h2-dir");
            } catch (IllegalArgumentException none) {
                dir = BenchDatabase.H2_DIR;
            }
            return BenchDatabase.fresh("h2", size, Path.of(dir, "services").toString());
        }
        BenchDatabase.admin("DROP SCHEMA IF EXISTS b_prorch_services CASCADE", "CREATE SCHEMA b_prorch_services");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(BenchDatabase.PG_URL + (BenchDatabase.PG_URL.contains("?") ? "&" : "?")
                + "currentSchema=b_prorch_services");
        config.setUsername(BenchDatabase.PG_USER);
        config.setPassword(BenchDatabase.PG_PASSWORD);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(60_000);
        return new HikariDataSource(config);
    }
}
