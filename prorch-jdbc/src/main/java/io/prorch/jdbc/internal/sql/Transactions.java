package io.prorch.jdbc.internal.sql;

import io.prorch.repository.RepositoryException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Runs every operation in its own short transaction on a connection from the data source (also correct on
 * connections with autocommit off), retries serialization failures and deadlocks, and turns database failures into
 * {@link RepositoryException}s that name the operation. Or, bound to a caller's connection, runs the work inside
 * whatever transaction the caller has open, and never ends it.
 */
final class Transactions {
    /** Serialization failure, deadlock (PostgreSQL and H2), and H2's lock timeout: safe to run again. */
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01", "HYT00");
    private static final Set<String> MISSING_TABLE = Set.of("42P01", "42S02", "42S04", "42102", "42104");
    private static final int ATTEMPTS = 3;

    /** Work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final Connection callers;
    private final String hint;

    private Transactions(DataSource dataSource, Connection callers, String hint) {
        this.dataSource = dataSource;
        this.callers = callers;
        this.hint = hint;
    }

    /** @param hint how to create the tables, for the message when they are missing */
    static Transactions pooled(DataSource dataSource, String hint) {
        return new Transactions(dataSource, null, hint);
    }

    /**
     * @return transactions with the same hint whose work joins the caller's transaction on {@code connection} as it
     *     is, and is never committed or retried here
     */
    Transactions using(Connection connection) {
        return new Transactions(null, connection, hint);
    }

    /**
     * Like {@link #run}, for work that is a single statement (a read, or one atomic write): it runs in autocommit mode
     * where the connection is in it, saving the BEGIN and COMMIT round trips.
     */
    <T> T runSingle(String operation, Work<T> work) {
        return execute(operation, work, true);
    }

    /** Runs {@code work} in a transaction of its own, committed if it returns and rolled back if it throws. */
    <T> T run(String operation, Work<T> work) {
        return execute(operation, work, false);
    }

    private <T> T execute(String operation, Work<T> work, boolean single) {
        if (callers != null) {
            try {
                // a failed statement may have aborted the caller's transaction: only the caller can end it
                return work.run(callers);
            } catch (SQLException e) {
                throw translate(operation, e, sqlState(e));
            }
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                return inTransaction(connection, work, single);
            } catch (SQLException e) {
                String state = sqlState(e);
                if (state != null && RETRYABLE.contains(state) && attempt < ATTEMPTS) {
                    continue;
                }
                throw translate(operation, e, state);
            }
        }
    }

    /** Commits or rolls back on the connection, whatever its autocommit mode was; leaves the mode as it found it. */
    private static <T> T inTransaction(Connection connection, Work<T> work, boolean single) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit && single) {
            // one statement in autocommit mode is atomic on its own: no BEGIN and COMMIT round trips
            return work.run(connection);
        }
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        try {
            T result = work.run(connection);
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
