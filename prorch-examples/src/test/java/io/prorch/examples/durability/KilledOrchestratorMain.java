package io.prorch.examples.durability;

import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.jdbc.JdbcRepository;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Run in a child JVM by {@link H2KillTest}: finishes pipelines on an H2 file database and prints the id of each one
 * the store reported finished, then starts five more (each committed when start returns), prints their ids, and dies
 * at once without closing anything, as a {@code kill -9} would.
 */
public final class KilledOrchestratorMain {
    private KilledOrchestratorMain() {
    }

    /** A one-shot step. */
    @Step(name = "Once")
    public static final class Once implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.metadata().put("ran", true);
        }
    }

    /** A pipeline of one step. */
    @Pipeline(name = "Durable", steps = Once.class)
    public static final class Durable {
    }

    /** @param args the JDBC URL */
    public static void main(String[] args) throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(args[0]);
        dataSource.setUser("sa");
        // held open for the whole run, as a pool would: H2 closes (and flushes) a database when its last connection
        // closes, which would hide exactly the loss this test looks for
        Connection keepOpen = dataSource.getConnection();
        Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
                .repository(JdbcRepository.create(dataSource)).register(Durable.class).build());
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(orchestrator.start(Durable.class, Map.of("n", i)));
        }
        orchestrator.awaitIdle(Duration.ofSeconds(30));
        for (UUID id : ids) {
            if (orchestrator.find(id).orElseThrow().status() == Status.FINISHED) {
                System.out.println("finished " + id);
            }
        }
        // the last commits come right before the kill: start() returns once the new pipeline is committed
        for (int i = 0; i < 5; i++) {
            System.out.println("started " + orchestrator.start(Durable.class, Map.of("last", i)));
        }
        System.out.flush();
        Runtime.getRuntime().halt(keepOpen.isClosed() ? 1 : 9);
    }
}
