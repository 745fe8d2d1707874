package io.prorch.jdbc.internal.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import io.prorch.repository.SignalNotice;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's notices of saved signals: one connection of the store's, on a daemon thread, {@code LISTEN}s on the
 * signals channel and hands each notice to the subscriber. A payload is the pipeline id, then a colon and the signal's
 * name (see {@link #payload}); a payload of a pipeline id alone (an older writer) is a notice without a name. Every wait is bounded ({@value #WAIT_MILLIS}
 * ms per {@code getNotifications}, a liveness query every {@value #PING_MILLIS} ms with a timeout); a broken connection
 * is replaced after a backoff that doubles from {@value #FIRST_BACKOFF_MILLIS} ms to {@value #MAX_BACKOFF_MILLIS} ms.
 * Starting waits up to {@value #START_WAIT_MILLIS} ms for the first {@code LISTEN}. Closing stops the thread within one
 * wait and gives the connection back.
 */
public final class SignalNotices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SignalNotices.class);
    private static final int WAIT_MILLIS = 250;
    private static final long PING_MILLIS = 30_000;
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 10_000;
    private static final int PING_TIMEOUT_SECONDS = 5;
    private static final long START_WAIT_MILLIS = 2000;
    private static final int UUID_LENGTH = 36;

    private final DataSource connections;
    private final String channel;
    private final Consumer<SignalNotice> onSignal;
    private final Thread thread;
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile boolean closed;

    private SignalNotices(DataSource connections, String channel, Consumer<SignalNotice> onSignal) {
        this.connections = connections;
        this.channel = channel;
        this.onSignal = onSignal;
        this.thread = new Thread(this::run, "prorch-signal-notices");
        thread.setDaemon(true);
    }

    /**
     * Starts listening on {@code channel}, on a connection of {@code connections}.
     *
     * @return what stops it
     */
    public static SignalNotices start(DataSource connections, String channel, Consumer<SignalNotice> onSignal) {
        SignalNotices notices = new SignalNotices(connections, channel, onSignal);
        notices.thread.start();
        try {
            // so that a signal sent right after this returns is heard (unless the database is slow to answer)
            notices.listening.await(START_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return notices;
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (!closed) {
            try (Connection c = connections.getConnection()) {
                listen(c);
                listening.countDown();
                backoff = FIRST_BACKOFF_MILLIS;
                receive(c);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("prorch: listening for signals on channel {} failed: {}; trying again in {} ms (signals sent"
                        + " by other processes meanwhile wake their steps at the next poll)", channel, e.toString(),
                        backoff);
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    private void listen(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(PING_TIMEOUT_SECONDS);
            s.execute("LISTEN \"" + channel + "\"");
        }
    }

    /** Hands over notices until closed or the connection breaks (then throws). */
    private void receive(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long lastPing = System.nanoTime();
        while (!closed) {
            PGNotification[] notices = pg.getNotifications(WAIT_MILLIS);
            if (notices != null) {
                for (PGNotification notice : notices) {
                    deliver(notice.getParameter());
                }
            }
            if (System.nanoTime() - lastPing > PING_MILLIS * 1_000_000L) {
                // a path that went dark without a reset never fails getNotifications: a query finds it out
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(PING_TIMEOUT_SECONDS);
                    s.execute("SELECT 1");
                }
                lastPing = System.nanoTime();
            }
        }
    }

    /** The SQL expression of a notice's payload, from the signal's {@code pipeline_uuid} and {@code name} columns. */
    public static String payload() {
        return "pipeline_uuid::text || ':' || name";
    }

    /** @return the notice a payload carries, or null if it is not one of ours */
    static SignalNotice parse(String payload) {
        if (payload == null || payload.length() < UUID_LENGTH
                || payload.length() > UUID_LENGTH && payload.charAt(UUID_LENGTH) != ':') {
            return null;
        }
        try {
            UUID pipelineId = UUID.fromString(payload.substring(0, UUID_LENGTH));
            return new SignalNotice(pipelineId,
                    payload.length() > UUID_LENGTH + 1 ? payload.substring(UUID_LENGTH + 1) : null);
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }

    private void deliver(String payload) {
        SignalNotice notice = parse(payload);
        if (notice == null) {
            return;   // someone else's NOTIFY on our channel: ignored
        }
        try {
            onSignal.accept(notice);
        } catch (RuntimeException e) {
            LOG.warn("prorch: the subscriber to signals failed on pipeline {}: {}", notice.pipelineId(), e.toString());
        }
    }

    /** Sleeps {@code millis}, in short naps, so that closing is not held up by a long backoff. */
    private void sleep(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        try {
            while (!closed && System.nanoTime() < end) {
                Thread.sleep(Math.min(50, millis));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops listening; the thread ends within one wait and gives its connection back. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2L * WAIT_MILLIS + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
