package io.prorch.examples.flows;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PipelineView;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.services.Block;
import io.prorch.services.Flow;
import io.prorch.services.Flows;
import io.prorch.services.ServiceEndpoint;
import io.prorch.services.ServicesServer;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * orch_serv's table, run: four tiny services on loopback (each a {@link ServiceEndpoint} speaking the envelope), one
 * block per service, and two flows over the same blocks in different orders: {@code Task1: service1 -> service2 ->
 * service3} and {@code Task2: service2 -> service4 -> service1}. Prints what each flow did to its data; exit code 0
 * when each called its services in its order.
 *
 * <pre>
 * mvn -q -DskipTests package &amp;&amp; java -cp prorch-examples/target/prorch-examples.jar io.prorch.examples.flows.FlowsMain
 * </pre>
 */
public final class FlowsMain {
    private FlowsMain() {
    }

    /** Runs the example; exits 0 if both flows ran their services in order. */
    public static void main(String[] args) throws Exception {
        System.exit(run(System.out) ? 0 : 1);
    }

    /** @return true if Task1 and Task2 each called their services in their order */
    public static boolean run(PrintStream out) throws Exception {
        Map<String, UnaryOperator<String>> work = new LinkedHashMap<>();
        work.put("service1", String::toUpperCase);
        work.put("service2", text -> text.replace(' ', '_'));
        work.put("service3", text -> new StringBuilder(text).reverse().toString());
        work.put("service4", text -> text + "!");
        List<ServicesServer> servers = new ArrayList<>();
        Map<String, Block> blocks = new LinkedHashMap<>();
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl("jdbc:h2:mem:flows-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            dataSource.setMaximumPoolSize(6);
            work.forEach((name, f) -> {
                ServiceEndpoint endpoint = ServiceEndpoint.builder().command(name, data -> {
                    List<Object> trail = new ArrayList<>((List<?>) data.getOrDefault("trail", List.of()));
                    trail.add(name);
                    return Map.of("text", f.apply((String) data.get("text")), "trail", trail);
                }).build();
                ServicesServer server = ServicesServer.start(endpoint::handle, new InetSocketAddress("127.0.0.1", 0), 2);
                servers.add(server);
                blocks.put(name, Block.of(name, URI.create("http://127.0.0.1:" + server.port() + "/" + name)));
            });
            Flows flows = Flows.builder()
                    .flow(Flow.of("Task1", blocks.get("service1"), blocks.get("service2"), blocks.get("service3")))
                    .flow(Flow.of("Task2", blocks.get("service2"), blocks.get("service4"), blocks.get("service1")))
                    .build();
            try (Orchestrator orchestrator = new Orchestrator(flows.configure(OrchestratorConfig.builder()
                    .repository(JdbcRepository.create(dataSource))).build())) {
                orchestrator.startPolling(Duration.ofMillis(200));
                out.println("Task  | Service execution sequence         | data after the flow");
                boolean ordered = true;
                for (String task : List.of("Task1", "Task2")) {
                    UUID run = flows.start(orchestrator, task, Map.of("text", "hello flows"), null);
                    PipelineView done = orchestrator.awaitCompletion(run, Duration.ofSeconds(30));
                    List<String> sequence = flows.flows().get(task).blocks().stream().map(Block::name).toList();
                    Map<?, ?> data = (Map<?, ?>) done.metadata().get("data");
                    out.printf("%-5s | %-34s | %s (%s)%n", task, String.join(" -> ", sequence), data,
                            done.status().value());
                    ordered &= sequence.equals(data.get("trail"));
                }
                return ordered;
            }
        } finally {
            servers.forEach(ServicesServer::close);
        }
    }
}
