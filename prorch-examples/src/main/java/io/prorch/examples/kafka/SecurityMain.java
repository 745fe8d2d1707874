package io.prorch.examples.kafka;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.examples.kafka.SecurityOrchestrator.Role;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.kafka.test.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 003, made durable: microservices that talk only through Kafka, and an orchestrator that holds the workflow
 * logic. It starts a Kafka broker in this JVM, the Security, Notification and Reporting services, a producer of
 * security detections and the orchestrator, then plays the seed's three examples:
 * <ol>
 *   <li>detections go to the Security Service (which answers), then to the Notification Service;</li>
 *   <li>the workflow gains the reporting step: the orchestrator is stopped and started again with the new
 *       definition while detections keep arriving;</li>
 *   <li>a Unit Event producer and workflow are added, and the orchestrator restarted once more.</li>
 * </ol>
 * It prints what each service received, then the per-workflow counts and {@code lost=0 duplicates=0}; exit code 0
 * when nothing was lost or done twice, 1 otherwise. The store is an H2 file in a temporary directory.
 *
 * <pre>
 * mvn -q -DskipTests package &amp;&amp; java -cp prorch-examples/target/prorch-examples.jar io.prorch.examples.kafka.SecurityMain
 * </pre>
 */
public final class SecurityMain {
    private static final Duration CLAIM = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private SecurityMain() {
    }

    /** Runs the three examples; exits 0 if nothing was lost or done twice. */
    public static void main(String[] args) throws Exception {
        System.exit(run() ? 0 : 1);
    }

    /** @return true if every event ended in exactly one finished workflow, each service acting on it once */
    public static boolean run() throws Exception {
        Path dir = Files.createTempDirectory("prorch-security-");
        say("starting a Kafka broker (KRaft, in this JVM) and an H2 store in " + dir);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); HikariDataSource dataSource = h2(dir)) {
            String bootstrap = kafka.bootstrapServers();
            kafka.createTopics(2, Topics.all().toArray(String[]::new));
            JdbcRepository repository = JdbcRepository.create(dataSource);
            Map<String, Service> services = new LinkedHashMap<>();
            services.put("Security", new Service("Security", bootstrap, Topics.SECURITY,
                    c -> Map.of("verdict", "contained")));
            services.put("Notification", new Service("Notification", bootstrap, Topics.NOTIFICATION, c -> Map.of()));
            try (EventProducer detections = new EventProducer(bootstrap, Topics.DETECTIONS, "det-");
                 EventProducer unitEvents = new EventProducer(bootstrap, Topics.UNIT_EVENTS, "unit-")) {
                Map<String, List<String>> produced = new LinkedHashMap<>();
                say("Example 1: detection -> Security Service -> Notification Service");
                SecurityOrchestrator orchestrator = new SecurityOrchestrator(bootstrap, repository, 1, Role.ALL, CLAIM);
                detections.produce(20);
                produced.put(Workflows.SECURITY, detections.ids());
                Tally tally = Tally.await(WAIT, repository, orchestrator.orchestrator(), produced, services);
                report(services, tally);

                say("Example 2: the Reporting Service is launched; the orchestrator is stopped and started again with"
                        + " the reporting step, while detections keep arriving");
                services.put("Reporting", new Service("Reporting", bootstrap, Topics.REPORTING, c -> Map.of()));
                detections.startStreaming(25);
                Thread.sleep(1_000);
                orchestrator.close();
                say("  orchestrator stopped; detections keep arriving and wait in " + Topics.DETECTIONS);
                Thread.sleep(1_500);
                orchestrator = new SecurityOrchestrator(bootstrap, repository, 2, Role.ALL, CLAIM);
                say("  orchestrator started with the new workflow");
                Thread.sleep(1_500);
                detections.stop();
                produced.put(Workflows.SECURITY, detections.ids());
                tally = Tally.await(WAIT, repository, orchestrator.orchestrator(), produced, services);
                report(services, tally);

                say("Example 3: a Unit Event producer starts; the orchestrator is restarted with the Unit Event"
                        + " workflow and picks up the events that waited for it");
                services.put("Unit", new Service("Unit", bootstrap, Topics.UNIT, c -> Map.of("handled", true)));
                unitEvents.produce(15);
                orchestrator.close();
                orchestrator = new SecurityOrchestrator(bootstrap, repository, 3, Role.ALL, CLAIM);
                detections.produce(10);
                produced.put(Workflows.SECURITY, detections.ids());
                produced.put(Workflows.UNIT_EVENT, unitEvents.ids());
                tally = Tally.await(WAIT, repository, orchestrator.orchestrator(), produced, services);
                report(services, tally);
                orchestrator.close();

                for (var workflow : produced.entrySet()) {
                    say(String.format("%-18s produced=%d finished=%d (by number of steps: %s)", workflow.getKey(),
                            workflow.getValue().size(), tally.finished(workflow.getKey()),
                            tally.finished().get(workflow.getKey())));
                }
                say("lost=" + tally.lost() + " duplicates=" + tally.duplicates());
                for (Service service : services.values()) {
                    service.close();
                }
                return tally.lost() == 0 && tally.duplicates() == 0;
            }
        }
    }

    private static void report(Map<String, Service> services, Tally tally) {
        services.values().forEach(service -> say("  " + service.summary()));
        say("  workflows finished so far: " + tally.finished() + ", lost=" + tally.lost() + " duplicates="
                + tally.duplicates());
    }

    private static HikariDataSource h2(Path dir) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("prorch").toAbsolutePath() + ";WRITE_DELAY=0");
        config.setMaximumPoolSize(12);
        return new HikariDataSource(config);
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
