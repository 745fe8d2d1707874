package io.prorch.jdbc;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.UUID;

/**
 * Child JVM of {@link TransactionalStartContract}: inserts an order and starts its pipeline in one transaction, then
 * dies before committing, as a {@code kill -9} would ({@link Runtime#halt}: no shutdown hooks, nothing flushed).
 */
public final class TransactionalStartChild {
    private TransactionalStartChild() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        try (Connection setup = DriverManager.getConnection(url)) {
            JdbcRepository repository = JdbcRepository.create(new Databases.UrlDataSource(url, false));
            Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                    .register(TransactionalStartContract.Fulfilment.class).build());
            Connection c = DriverManager.getConnection(url);
            c.setAutoCommit(false);
            TransactionalStartContract.insertOrder(c, "o-killed");
            UUID id = orchestrator.starter(TransactionalStartContract.Fulfilment.class)
                    .inTransaction(repository.using(c)).input(Map.of("order", "o-killed")).start();
            System.out.println("started " + id);
            System.out.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
