package io.prorch.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.repository.IRepository;
import java.io.InputStream;
import java.time.Duration;

/**
 * A child JVM of the kill storm: one orchestrator polling a PostgreSQL schema (or MariaDB database), writing the hook ledger, until it is
 * killed. It bounds itself: it halts when its standard input closes (the test ended or died) or after
 * {@code maxSeconds}, so no child outlives its test.
 *
 * <p>Arguments: jdbcUrl schema orchestratorId claimMillis pollMillis maxSeconds broken
 */
public final class ChaosOrchestratorMain {
    private ChaosOrchestratorMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        String id = args[2];
        Duration claim = Duration.ofMillis(Long.parseLong(args[3]));
        Duration poll = Duration.ofMillis(Long.parseLong(args[4]));
        long maxSeconds = Long.parseLong(args[5]);
        boolean broken = Boolean.parseBoolean(args[6]);
        Thread guard = new Thread(() -> haltWhenStdinCloses(System.in), "stdin-guard");
        guard.setDaemon(true);
        guard.start();

        HikariDataSource pool = ChaosDatabase.pool(url, 6);
        IRepository repository = JdbcRepository.builder().dataSource(pool).schema(schema).migrate(false).build();
        if (broken) {
            repository = BrokenStores.nonExclusiveClaims(repository);
        }
        Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(ChaosSteps.Chaos.class).stepFactory(ChaosSteps.factory(new ChaosLedger(pool, schema, id,
                        ChaosDatabase.Kind.of(url).clock)))
                .orchestratorId(id).claimDuration(claim).workerThreads(8).batchSize(16).build());
        orchestrator.startPolling(poll);
        System.out.println("ready " + id);
        System.out.flush();
        Thread.sleep(maxSeconds * 1000);
        Runtime.getRuntime().halt(3);
    }

    private static void haltWhenStdinCloses(InputStream in) {
        try {
            while (in.read() >= 0) {
                // the parent never writes; read() returns -1 once it closes the pipe or dies
            }
        } catch (java.io.IOException ignored) {
            // same as closed
        }
        Runtime.getRuntime().halt(4);
    }
}
