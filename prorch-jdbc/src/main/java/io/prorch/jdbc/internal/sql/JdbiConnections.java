package io.prorch.jdbc.internal.sql;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * A {@link DataSource} over a {@link Jdbi}'s connections, for the steps that need one and run once, at build: Flyway's
 * migrations, detecting the database, reading the driver's timeout. Each connection is that of a handle opened for
 * it, and closing the connection closes the handle (which gives it back through the Jdbi's connection factory). Not
 * for the hot path, which opens handles directly.
 */
public final class JdbiConnections implements DataSource {
    private final Jdbi jdbi;

    public JdbiConnections(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Handle handle;
        try {
            handle = jdbi.open();
        } catch (JdbiException e) {
            throw new SQLException("cannot open a handle of the Jdbi: " + e.getMessage(), sqlStateOf(e), e);
        }
        // Flyway ends its own transactions; the handle must not roll back or complain when it closes
        handle.getConfig(Handles.class).setForceEndTransactions(false);
        Connection connection = handle.getConnection();
        return (Connection) Proxy.newProxyInstance(JdbiConnections.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        handle.close();
                        return null;
                    }
                    if (method.getName().equals("isClosed") && method.getParameterCount() == 0) {
                        return handle.isClosed() || connection.isClosed();
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static String sqlStateOf(Throwable e) {
        return Transactions.sqlState(e);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("a Jdbi's connections have its own credentials");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // none
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the Jdbi's connection factory decides
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
