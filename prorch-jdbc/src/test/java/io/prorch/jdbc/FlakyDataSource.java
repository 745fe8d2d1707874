package io.prorch.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;

/**
 * A DataSource that can be switched off: while down, new connections are refused and every call on a connection
 * already handed out fails, as when the database server goes away. A hand-written stand-in, no mocking library.
 */
final class FlakyDataSource extends Databases.UrlDataSource {
    private final DataSource delegate;
    private volatile boolean down;

    FlakyDataSource(DataSource delegate) {
        super("unused", false);
        this.delegate = delegate;
    }

    void down(boolean down) {
        this.down = down;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down) {
            throw new SQLTransientConnectionException("Connection refused (test: database is down)", "08001");
        }
        Connection real = delegate.getConnection();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (down && !method.getName().equals("close")) {
                        throw new SQLTransientConnectionException("Connection reset (test: database is down)",
                                "08006");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
