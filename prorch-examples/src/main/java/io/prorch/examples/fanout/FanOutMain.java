package io.prorch.examples.fanout;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.jdbc.JdbcRepository;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Fan-out and fan-in: one pipeline starts 50 child pipelines (one per supplier), waits for all of them without polling
 * (each child wakes it when it ends), and picks the cheapest quote from their results. Prints the outcome and a
 * summary line; exit code 0 when every child answered and the parent finished with the cheapest price.
 *
 * <pre>
 * mvn -q -DskipTests package &amp;&amp; java -cp prorch-examples/target/prorch-examples.jar io.prorch.examples.fanout.FanOutMain
 * </pre>
 *
 * Options: {@code --jdbc-url URL} (PostgreSQL or MariaDB; default: H2 in memory), {@code --children N} (50, 1 to
 * 500).
 */
public final class FanOutMain {
    private FanOutMain() {
    }

    /** Runs the example; exits 0 if every child answered and the best quote was chosen, 1 otherwise, 2 for bad args. */
    public static void main(String[] args) throws Exception {
        String url = null;
        int children = 50;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jdbc-url" -> url = i + 1 < args.length ? args[++i] : null;
                case "--children" -> children = i + 1 < args.length ? parse(args[++i]) : -1;
                default -> children = -1;
            }
        }
        if (children < 1 || children > 500) {
            System.err.println("usage: FanOutMain [--jdbc-url URL] [--children N (1 to 500)]");
            System.exit(2);
        }
        System.exit(run(url, children) ? 0 : 1);
    }

    private static int parse(String number) {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * @param url a database URL, or null for H2 in memory
     * @return true if all {@code children} answered and the parent chose the cheapest price
     */
    public static boolean run(String url, int children) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url != null ? url : "jdbc:h2:mem:fanout-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(6);
        config.setConnectionTimeout(5_000);
        try (HikariDataSource dataSource = new HikariDataSource(config);
             Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
                     .repository(JdbcRepository.create(dataSource))
                     .register(QuoteSteps.QuoteRequest.class, QuoteSteps.SupplierQuote.class).build())) {
            orchestrator.startPolling(Duration.ofMillis(200));
            long started = System.nanoTime();
            UUID id = orchestrator.start(QuoteSteps.QuoteRequest.class, Map.of("suppliers", children));
            PipelineView request = orchestrator.awaitCompletion(id, Duration.ofSeconds(120));
            long millis = (System.nanoTime() - started) / 1_000_000;
            long cheapest = Long.MAX_VALUE;
            for (long i = 0; i < children; i++) {
                cheapest = Math.min(cheapest, 100 + (i * 37) % 91);
            }
            Object answered = request.metadata().get("answered");
            Object best = request.metadata().get("bestPrice");
            boolean ok = request.status() == Status.FINISHED && Long.valueOf(children).equals(answered)
                    && Long.valueOf(cheapest).equals(best);
            System.out.println("Quote request " + id + " " + request.status().value() + ": " + answered + " of "
                    + children + " child pipelines answered, best price " + best + " from supplier "
                    + request.metadata().get("bestSupplier") + ", in " + millis + " ms"
                    + (ok ? "" : " (NOT as planned: " + request.lastError() + ")"));
            return ok;
        }
    }
}
