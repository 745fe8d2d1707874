package io.prorch.jdbc.internal.sql;

import io.prorch.repository.RepositoryException;
import java.sql.SQLException;
import java.util.Set;
import java.sql.Connection;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Runs every operation in its own short transaction (also correct on connections with autocommit off), retries
 * serialization failures and deadlocks, and turns database failures into {@link RepositoryException}s that name the
 * operation.
 */
final class Transactions {
    /** Serialization failure, deadlock (PostgreSQL and H2), and H2's lock timeout: safe to run again. */
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01", "HYT00");
    private static final Set<String> MISSING_TABLE = Set.of("42P01", "42S02", "42S04", "42102", "42104");
    private static final int ATTEMPTS = 3;

    private final Jdbi jdbi;
    private final String hint;
    private final boolean callersTransaction;

    /**
     * @param hint how to create the tables, for the message when they are missing
     * @param callersTransaction true when {@code jdbi} runs on a connection the caller owns: then work joins the
     *     caller's transaction as it is, and is never committed, rolled back or retried here
     */
    Transactions(Jdbi jdbi, String hint, boolean callersTransaction) {
        // transactions are ended on the raw connection (see inTransaction), which JDBI cannot see
        jdbi.getConfig(Handles.class).setForceEndTransactions(false);
        this.jdbi = jdbi;
        this.hint = hint;
        this.callersTransaction = callersTransaction;
    }

    private static final ThreadLocal<Boolean> SINGLE = ThreadLocal.withInitial(() -> false);

    /**
     * Like {@link #run}, for work that is a single statement (a read, or one atomic write): it runs in autocommit mode
     * where the connection is in it, saving the BEGIN and COMMIT round trips.
     */
    <T> T runSingle(String operation, HandleCallback<T, SQLException> work) {
        SINGLE.set(true);
        try {
            return run(operation, work);
        } finally {
            SINGLE.set(false);
        }
    }

    <T> T run(String operation, HandleCallback<T, SQLException> work) {
        if (callersTransaction) {
            try {
                // a failed statement may have aborted the caller's transaction: only the caller can end it
                return jdbi.withHandle(work);
            } catch (JdbiException | SQLException e) {
                throw translate(operation, e, sqlState(e));
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.withHandle(h -> inTransaction(h, work));
            } catch (JdbiException | SQLException e) {
                String state = sqlState(e);
                if (state != null && RETRYABLE.contains(state) && attempt < ATTEMPTS) {
                    continue;
                }
                throw translate(operation, e, state);
            }
        }
    }

    /**
     * Commits or rolls back on the raw connection: JDBI treats a connection with autocommit off as already inside
     * an outer transaction and would never commit it, but pools may hand out exactly such connections.
     */
    private static <T> T inTransaction(Handle h, HandleCallback<T, SQLException> work) throws SQLException {
        Connection connection = h.getConnection();
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit && SINGLE.get()) {
            // one statement in autocommit mode is atomic on its own: no BEGIN and COMMIT round trips
            return work.withHandle(h);
        }
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        try {
            T result = work.withHandle(h);
            connection.commit();
            return result;
        } catch (RuntimeException | SQLException | Error e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            if (autoCommit) {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection is broken; the pool will find out
                }
            }
        }
    }

    private RepositoryException translate(String operation, Exception e, String state) {
        if (state != null && MISSING_TABLE.contains(state)) {
            return new RepositoryException(operation + " failed: prorch's tables do not exist; " + hint, e);
        }
        return new RepositoryException(operation + " failed: " + rootMessage(e), e);
    }

    /** @return the SQLState of the first SQLException in the cause chain, or null */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                SQLException next = sql.getNextException();
                return next != null && next.getSQLState() != null ? next.getSQLState() : sql.getSQLState();
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getName() : message;
    }
}
