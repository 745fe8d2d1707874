package io.prorch.jdbc;

import io.prorch.repository.ClaimRequest;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StoredRecord;
import io.prorch.test.ForwardingRepository;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** Stores and connections that fail on purpose, from a seeded random source, counting what they inject. */
final class FaultyStores {
    private FaultyStores() {
    }

    /**
     * @return {@code store} failing {@code rate} of its calls: half before the call (nothing happened), half after it
     *     (it happened, but the caller hears of a failure, as when a connection dies on the reply)
     */
    static IRepository throwing(IRepository store, Random random, double rate, AtomicInteger injected) {
        return new ForwardingRepository(store) {
            private <T> T call(String operation, Supplier<T> work) {
                double draw;
                synchronized (random) {
                    draw = random.nextDouble();
                }
                if (draw < rate / 2) {
                    injected.incrementAndGet();
                    throw new RepositoryException(operation + " failed (test: injected before the call)");
                }
                T result = work.get();
                if (draw < rate) {
                    injected.incrementAndGet();
                    throw new RepositoryException(operation + " failed (test: injected after the call)");
                }
                return result;
            }

            @Override
            public <R extends StoredRecord> Optional<R> get(Model<R> model, UUID id) {
                return call("get", () -> delegate.get(model, id));
            }

            @Override
            public <R extends StoredRecord> R save(R record) {
                return call("save", () -> delegate.save(record));
            }

            @Override
            public <R extends StoredRecord> R update(R record) {
                return call("update", () -> delegate.update(record));
            }

            @Override
            public <R extends StoredRecord> List<R> search(Model<R> model, SearchFilter filter) {
                return call("search", () -> delegate.search(model, filter));
            }

            @Override
            public List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
                return call("updateAll", () -> delegate.updateAll(records));
            }

            @Override
            public List<StoredRecord> saveAll(List<? extends StoredRecord> records) {
                return call("saveAll", () -> delegate.saveAll(records));
            }

            @Override
            public <R extends StoredRecord> List<R> getAll(Model<R> model, Collection<UUID> ids) {
                return call("getAll", () -> delegate.getAll(model, ids));
            }

            @Override
            public List<PipelineRecord> claimDue(ClaimRequest request) {
                return call("claimDue", () -> delegate.claimDue(request));
            }

            @Override
            public Optional<Instant> currentTime() {
                return call("currentTime", delegate::currentTime);
            }
        };
    }

    /**
     * @return a broken store that reports failed group writes as done, counting them in {@code lies}: the orchestrator
     *     goes on from a lie
     */
    static IRepository acknowledgingFailedWrites(IRepository store, AtomicInteger lies) {
        return new ForwardingRepository(store) {
            @Override
            public List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
                try {
                    return delegate.updateAll(records);
                } catch (RepositoryException e) {
                    lies.incrementAndGet();
                    // history entries are appended, not versioned: they come back as they were sent
                    return records.stream().map(r -> r instanceof io.prorch.repository.HistoryRecord ? r
                            : r.withVersion(r.version() + 1)).toList();
                }
            }
        };
    }

    /**
     * @return {@code dataSource} whose connections fail {@code rate} of their statements and commits, half before
     *     (nothing was done) and half after (done, but the reply was lost), with a connection-failure SQL state
     */
    static DataSource flakyConnections(DataSource dataSource, Random random, double rate, AtomicInteger injected) {
        Set<String> risky = Set.of("execute", "executeQuery", "executeUpdate", "executeBatch", "commit");
        return new Databases.UrlDataSource("unused", false) {
            @Override
            public Connection getConnection() throws java.sql.SQLException {
                Connection real = dataSource.getConnection();
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                            Object result = invoke(real, method, args);
                            if (result instanceof java.sql.Statement statement) {
                                return flaky(statement, risky, random, rate, injected);
                            }
                            return result;
                        });
            }

            private Object invoke(Connection real, java.lang.reflect.Method method, Object[] args) throws Throwable {
                if (method.getName().equals("commit")) {
                    return fail(random, rate, injected, () -> invokeReal(real, method, args));
                }
                return invokeReal(real, method, args);
            }
        };
    }

    private static Object flaky(java.sql.Statement statement, Set<String> risky, Random random, double rate,
                                AtomicInteger injected) {
        Class<?>[] types = statement instanceof java.sql.PreparedStatement
                ? new Class<?>[] {java.sql.PreparedStatement.class} : new Class<?>[] {java.sql.Statement.class};
        return Proxy.newProxyInstance(FaultyStores.class.getClassLoader(), types, (proxy, method, args) ->
                risky.contains(method.getName())
                        ? fail(random, rate, injected, () -> invokeReal(statement, method, args))
                        : invokeReal(statement, method, args));
    }

    interface Call {
        Object run() throws Throwable;
    }

    private static Object fail(Random random, double rate, AtomicInteger injected, Call call) throws Throwable {
        double draw;
        synchronized (random) {
            draw = random.nextDouble();
        }
        if (draw < rate / 2) {
            injected.incrementAndGet();
            throw new SQLTransientConnectionException("Connection reset (test: before the call)", "08006");
        }
        Object result = call.run();
        if (draw < rate) {
            injected.incrementAndGet();
            throw new SQLTransientConnectionException("Connection reset (test: reply lost)", "08006");
        }
        return result;
    }

    private static Object invokeReal(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
