package io.prorch.jdbc;

import io.prorch.StepContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The hook ledger: every hook invocation is written, before the hook does anything, with the fencing token it was
 * given and the orchestrator running it; its end is written when it returns. Written straight to the database in
 * autocommit, on a connection that bypasses any fault the test injects, so it survives a killed JVM.
 */
final class ChaosLedger {
    private final DataSource dataSource;
    private final String table;
    private final String orchestrator;
    private final String clock;

    /** @param clock the SQL for the server's time now: {@code ChaosDatabase.Kind.clock} */
    ChaosLedger(DataSource dataSource, String schema, String orchestrator, String clock) {
        this.dataSource = dataSource;
        this.table = schema + ".ledger";
        this.orchestrator = orchestrator;
        this.clock = clock;
    }

    String orchestrator() {
        return orchestrator;
    }

    /**
     * @param seen how many hook calls of this step had committed when this one was given its state (a counter the
     *     hooks keep in the step's metadata): two calls that saw the same count and attempt ran on the same state
     * @return the entry's id, for {@link #exit}
     */
    long enter(StepContext ctx, String hook, long seen) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO " + table
                + " (pipeline, position, hook, token, attempt, orchestrator, seen) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " RETURNING id")) {
            s.setObject(1, ctx.pipelineId());
            s.setInt(2, ctx.stepPosition());
            s.setString(3, hook);
            s.setLong(4, ctx.fencingToken());
            s.setInt(5, ctx.attempt());
            s.setString(6, orchestrator);
            s.setLong(7, seen);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void exit(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET ended_at = " + clock
                     + " WHERE id = ?")) {
            s.setLong(1, id);
            s.executeUpdate();
        }
    }
}
