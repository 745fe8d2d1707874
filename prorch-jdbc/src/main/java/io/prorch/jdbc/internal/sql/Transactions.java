package io.prorch.jdbc.internal.sql;

import io.prorch.repository.RepositoryException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every operation in its own short transaction on a connection from the data source (also correct on
 * connections with autocommit off), retries serialization failures and deadlocks, and turns database failures into
 * {@link RepositoryException}s that name the operation. Or, bound to a caller's connection, runs the work inside
 * whatever transaction the caller has open, and never ends it.
 *
 * <p>Each borrowed connection gets a network timeout ({@link Connection#setNetworkTimeout}) for as long as the work
 * holds it, and its previous one back before it returns to the pool: a network path that goes dark without a reset
 * leaves a socket read waiting forever otherwise (pgjdbc's default), and the caller's thread with it. A read that
 * times out fails the call and breaks the connection (pgjdbc closes it, with SQLState 08006), so a pool evicts it
 * and the next call gets a fresh one. The caller's own connection ({@link #using}) is left as it is.
 *
 * <p>Two ways in: {@link #run}/{@link #runSingle} (the per-transition path: starts, updates, claims, getAll) hand the
 * work a bare JDBC connection; {@link #query} (searches, the clock, the look for unknown statuses) hands it a JDBI
 * {@link Handle} for the fluent API. On a repository built from a {@link Jdbi}, both take their connections from
 * it ({@link Jdbi#open()}), so its connection factory, cleanables and handle listeners apply.
 */
final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    /** The drivers in use run {@code setNetworkTimeout} in the calling thread; the executor is for drivers that don't. */
    private static final Executor DIRECT = Runnable::run;
    /** Serialization failure, deadlock (PostgreSQL and H2), and H2's lock timeout: safe to run again. */
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01", "HYT00");
    private static final Set<String> MISSING_TABLE = Set.of("42P01", "42S02", "42S04", "42102", "42104");
    private static final int ATTEMPTS = 3;

    /** Work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Where the hot path borrows connections, or null to open a handle of {@link #jdbi} instead. */
    private final DataSource dataSource;
    /** The fluent API's handles: the user's Jdbi, or one over {@link #dataSource}; null on a caller's connection. */
    private final Jdbi jdbi;
    private final Connection callers;
    /** The caller's handle when the view was made from one, for {@link #query}; else null. */
    private final Handle callersHandle;
    private final String hint;
    /** The network timeout of borrowed connections, in milliseconds; 0 for none of ours. */
    private final int timeoutMillis;
    /** Set once the driver says it has no network timeouts (it is then not asked again). */
    private volatile boolean timeoutsUnsupported;

    private Transactions(DataSource dataSource, Jdbi jdbi, Connection callers, Handle callersHandle, String hint,
                         int timeoutMillis) {
        this.dataSource = dataSource;
        this.jdbi = jdbi;
        this.callers = callers;
        this.callersHandle = callersHandle;
        this.hint = hint;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * @param hint how to create the tables, for the message when they are missing
     * @param timeoutMillis the longest wait for the database on a borrowed connection, or 0 to leave the driver's
     */
    static Transactions pooled(DataSource dataSource, String hint, int timeoutMillis) {
        return new Transactions(dataSource, Jdbi.create(dataSource), null, null, hint, timeoutMillis);
    }

    /** Like {@link #pooled(DataSource, String, int)}, with every connection from a handle of {@code jdbi}. */
    static Transactions pooled(Jdbi jdbi, String hint, int timeoutMillis) {
        return new Transactions(null, jdbi, null, null, hint, timeoutMillis);
    }

    /**
     * @return transactions with the same hint whose work joins the caller's transaction on {@code connection} as it
     *     is, and is never committed or retried here
     */
    Transactions using(Connection connection) {
        return new Transactions(null, null, connection, null, hint, 0);
    }

    /** Like {@link #using(Connection)} on the handle's connection; {@link #query} runs on the handle itself. */
    Transactions using(Handle handle) {
        return new Transactions(null, null, handle.getConnection(), handle, hint, 0);
    }

    /** @return true if the work runs on the caller's connection, inside a transaction this class never ends */
    boolean joinsCallers() {
        return callers != null;
    }

    /**
     * Logs a warning if nothing bounds a wait for the database: our timeout is off and a connection of
     * {@code dataSource} has no network timeout of its own (pgjdbc without {@code socketTimeout}).
     */
    static void warnIfUnbounded(DataSource dataSource, int timeoutMillis) {
        if (timeoutMillis > 0) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            if (connection.getNetworkTimeout() == 0) {
                LOG.warn("prorch: no call of JdbcRepository has a time limit: its statementTimeout is off and the"
                        + " driver's connections have none (no socketTimeout), so a network path to the database"
                        + " that goes dark without a reset blocks the orchestrator for good; set"
                        + " JdbcRepository.builder().statementTimeout(..) or the driver's socketTimeout");
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("prorch: could not read the connections' network timeout", e);
        }
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
            try {
                if (dataSource != null) {
                    try (Connection connection = dataSource.getConnection()) {
                        return bounded(connection, work, single);
                    }
                }
                try (Handle handle = jdbi.open()) {
                    return bounded(handle.getConnection(), work, single);
                }
            } catch (SQLException | JdbiException e) {
                String state = sqlState(e);
                if (state != null && RETRYABLE.contains(state) && attempt < ATTEMPTS) {
                    continue;
                }
                throw translate(operation, e, state);
            }
        }
    }

    private <T> T bounded(Connection connection, Work<T> work, boolean single) throws SQLException {
        int previous = bound(connection);
        try {
            return inTransaction(connection, work, single);
        } finally {
            restore(connection, previous);
        }
    }

    /**
     * Runs {@code work}, one read, through JDBI's fluent API on a handle of its own (autocommit as the connection
     * has it, retried as {@link #run} is), or on the caller's handle or connection, whose transaction it joins.
     */
    <T> T query(String operation, Function<Handle, T> work) {
        if (callers != null) {
            try {
                if (callersHandle != null) {
                    return work.apply(callersHandle);
                }
                try (Handle handle = callersJdbi(callers).open()) {
                    handle.getConfig(Handles.class).setForceEndTransactions(false);
                    return work.apply(handle);
                }
            } catch (JdbiException e) {
                throw translate(operation, e, sqlState(e));
            }
        }
        for (int attempt = 1; ; attempt++) {
            try (Handle handle = jdbi.open()) {
                Connection connection = handle.getConnection();
                int previous = bound(connection);
                try {
                    return work.apply(handle);
                } finally {
                    restore(connection, previous);
                }
            } catch (SQLException | JdbiException e) {
                String state = sqlState(e);
                if (state != null && RETRYABLE.contains(state) && attempt < ATTEMPTS) {
                    continue;
                }
                throw translate(operation, e, state);
            }
        }
    }

    /** @return a Jdbi whose only connection is the caller's, which closing a handle leaves open */
    private static Jdbi callersJdbi(Connection connection) {
        return Jdbi.create(new ConnectionFactory() {
            @Override
            public Connection openConnection() {
                return connection;
            }

            @Override
            public void closeConnection(Connection c) {
                // the caller's: only the caller closes it
            }
        });
    }

    /**
     * Sets our network timeout on {@code connection} unless the driver's own is already as short.
     *
     * @return the timeout to restore, or -1 if it was left as it was
     */
    private int bound(Connection connection) throws SQLException {
        if (timeoutMillis == 0 || timeoutsUnsupported) {
            return -1;
        }
        try {
            int previous = connection.getNetworkTimeout();
            if (previous > 0 && previous <= timeoutMillis) {
                return -1;
            }
            connection.setNetworkTimeout(DIRECT, timeoutMillis);
            return previous;
        } catch (SQLFeatureNotSupportedException e) {
            timeoutsUnsupported = true;
            LOG.warn("prorch: the JDBC driver has no network timeouts ({}); JdbcRepository's statementTimeout has no"
                    + " effect, so set the driver's own socket timeout", e.getMessage());
            return -1;
        }
    }

    /** Gives the connection its previous network timeout back, before the pool gets it. */
    private static void restore(Connection connection, int previous) {
        if (previous < 0) {
            return;
        }
        try {
            connection.setNetworkTimeout(DIRECT, previous);
        } catch (SQLException | RuntimeException e) {
            // the connection is broken (a timed-out read closes it): the pool finds out and evicts it
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

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getName() : message;
    }
}
