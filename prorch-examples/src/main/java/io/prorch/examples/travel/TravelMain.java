package io.prorch.examples.travel;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.StepView;
import io.prorch.jdbc.JdbcRepository;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A saga: a trip books a flight and a hotel, then fails to rent a car; the hotel and the flight are cancelled, in that
 * order, by their {@code onCompensate} hooks, and the trip ends {@code compensated}. Prints each step, then the steps'
 * statuses as {@code find()} shows them, and a summary line; exit code 0 when everything was undone in reverse order.
 *
 * <pre>
 * mvn -q -DskipTests package &amp;&amp; java -cp prorch-examples/target/prorch-examples.jar io.prorch.examples.travel.TravelMain
 * </pre>
 *
 * Option: {@code --jdbc-url URL} (PostgreSQL or MariaDB; default: H2 in memory).
 */
public final class TravelMain {
    private TravelMain() {
    }

    /** Runs the example; exits 0 if the trip was compensated as planned, 1 otherwise, 2 for bad arguments. */
    public static void main(String[] args) throws Exception {
        String url = null;
        if (args.length == 2 && args[0].equals("--jdbc-url")) {
            url = args[1];
        } else if (args.length > 0) {
            System.err.println("usage: TravelMain [--jdbc-url URL]");
            System.exit(2);
        }
        System.exit(run(url) ? 0 : 1);
    }

    /**
     * @param url a database URL, or null for H2 in memory
     * @return true if the trip ended compensated, its hotel cancelled before its flight
     */
    public static boolean run(String url) throws Exception {
        TripSteps.DONE.clear();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url != null ? url : "jdbc:h2:mem:travel-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(6);
        config.setConnectionTimeout(5_000);
        try (HikariDataSource dataSource = new HikariDataSource(config);
             Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
                     .repository(JdbcRepository.create(dataSource)).register(TripSteps.Trip.class).build())) {
            orchestrator.startPolling(Duration.ofMillis(100));
            UUID id = orchestrator.start(TripSteps.Trip.class, Map.of("destination", "Lisbon", "nights", 3));
            System.out.println("Trip " + id + " started");
            PipelineView trip = orchestrator.awaitCompletion(id, Duration.ofSeconds(30));
            System.out.println("Steps: " + trip.steps().stream().map(s -> s.name() + "=" + s.status().value())
                    .collect(Collectors.joining(", ")));
            boolean undone = trip.status() == Status.COMPENSATED
                    && statuses(trip).equals(List.of(Status.COMPENSATED, Status.COMPENSATED, Status.FAILED))
                    && TripSteps.DONE.indexOf("cancelled hotel HT-3N") >= 0
                    && TripSteps.DONE.indexOf("cancelled hotel HT-3N") < TripSteps.DONE.indexOf(
                    "cancelled flight FL-LISBON");
            System.out.println("Trip " + trip.status().value() + " (" + trip.lastError() + "): hotel and flight "
                    + (undone ? "cancelled in reverse order" : "NOT undone as planned"));
            return undone;
        }
    }

    private static List<Status> statuses(PipelineView trip) {
        return trip.steps().stream().map(StepView::status).toList();
    }
}
