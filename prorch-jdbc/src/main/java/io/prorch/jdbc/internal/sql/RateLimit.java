package io.prorch.jdbc.internal.sql;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Lets something happen at most once per period per key (a warning about one row, say). Thread-safe. */
final class RateLimit {
    /** Past this many keys, those whose period has passed are forgotten. */
    private static final int PRUNE_AT = 10_000;

    private final long periodNanos;
    private final ConcurrentMap<Object, Long> last = new ConcurrentHashMap<>();

    RateLimit(Duration period) {
        this.periodNanos = period.toNanos();
    }

    /** @return true if {@code key} has not been allowed within the period; it is then counted as allowed now */
    boolean allows(Object key) {
        long now = System.nanoTime();
        boolean[] allowed = {false};
        last.compute(key, (k, then) -> {
            allowed[0] = then == null || now - then >= periodNanos;
            return allowed[0] ? now : then;
        });
        if (allowed[0] && last.size() > PRUNE_AT) {
            last.values().removeIf(then -> now - then >= periodNanos);
        }
        return allowed[0];
    }
}
