package io.prorch.internal.engine;

import io.prorch.repository.IRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's clock, as seen from this JVM: the store's time read now and then ({@link #resync}), advanced in between
 * by the monotonic {@link System#nanoTime()}. Orchestrators on JVMs whose wall clocks are skewed, or jump, still agree
 * on when a claim expires and a pipeline is due, because none of them consults its wall clock.
 */
public final class StoreClock extends Clock {
    /** How often the orchestrator re-reads the store's time. */
    public static final Duration RESYNC_INTERVAL = Duration.ofSeconds(10);
    /**
     * The longest round trip whose reading is trusted. A reading is placed at the middle of its round trip, so its
     * error is up to half of it; a long one (a wait for a pool connection, a stalled network) would move the clock
     * ahead or behind by seconds and make claims look expired early, so it is discarded and the last good reading
     * (or, before the first one, the local clock) stays in use.
     */
    public static final Duration MAX_TRUSTED_ROUND_TRIP = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(StoreClock.class);

    private record Anchor(Instant storeTime, long nanos, boolean fromStore) {
    }

    private final Object resyncLock = new Object();
    private volatile long lastAttemptNanos;

    private final IRepository repository;
    private final LongSupplier nanoTime;
    private volatile Anchor anchor;

    private StoreClock(IRepository repository, LongSupplier nanoTime, Anchor anchor) {
        this.repository = repository;
        this.nanoTime = nanoTime;
        this.anchor = anchor;
        this.lastAttemptNanos = nanoTime.getAsLong();
    }

    /**
     * @param repository the store, asked for {@link IRepository#currentTime()}
     * @param provisional used until the store's time can first be read (the store is down at startup)
     * @return a clock following the store's, or empty if the store has no clock of its own
     */
    public static Optional<StoreClock> attach(IRepository repository, Clock provisional) {
        return attach(repository, provisional, System::nanoTime);
    }

    static Optional<StoreClock> attach(IRepository repository, Clock provisional, LongSupplier nanoTime) {
        try {
            Optional<Anchor> first = read(repository, nanoTime);
            return first.map(a -> new StoreClock(repository, nanoTime, a));
        } catch (RuntimeException e) {
            // only a store with a clock can fail to read it: follow the local clock until it answers
            LOG.warn("prorch: could not read the store's clock ({}); using the local clock until it answers",
                    ErrorSummary.headline(e));
            return Optional.of(new StoreClock(repository, nanoTime,
                    new Anchor(provisional.instant(), nanoTime.getAsLong(), false)));
        }
    }

    /** Re-reads the store's time if the last attempt is older than {@code interval}; one caller at a time does. */
    public void resyncIfOlderThan(Duration interval) {
        if (nanoTime.getAsLong() - lastAttemptNanos < interval.toNanos()) {
            return;
        }
        synchronized (resyncLock) {
            if (nanoTime.getAsLong() - lastAttemptNanos >= interval.toNanos()) {
                resync();
            }
        }
    }

    /** Re-reads the store's time; keeps the current anchor if the store cannot be reached. */
    public void resync() {
        lastAttemptNanos = nanoTime.getAsLong();
        try {
            read(repository, nanoTime).ifPresent(a -> {
                if (!anchor.fromStore()) {
                    LOG.info("prorch: now following the store's clock");
                }
                anchor = a;
            });
        } catch (RuntimeException e) {
            LOG.debug("prorch: reading the store's clock failed; keeping the last reading", e);
        }
    }

    /**
     * Takes the midpoint of the round trip as the moment the store read its clock.
     *
     * @throws UntrustedReading if the round trip took longer than {@link #MAX_TRUSTED_ROUND_TRIP}
     */
    private static Optional<Anchor> read(IRepository repository, LongSupplier nanoTime) {
        long before = nanoTime.getAsLong();
        Optional<Instant> time = repository.currentTime();
        long after = nanoTime.getAsLong();
        if (time.isPresent() && after - before > MAX_TRUSTED_ROUND_TRIP.toNanos()) {
            throw new UntrustedReading(Duration.ofNanos(after - before));
        }
        return time.map(t -> new Anchor(t, before + (after - before) / 2, true));
    }

    /** A reading of the store's clock whose round trip was too long to place it in time. */
    static final class UntrustedReading extends RuntimeException {
        UntrustedReading(Duration roundTrip) {
            super("reading the store's clock took " + roundTrip.toMillis() + " ms, more than "
                    + MAX_TRUSTED_ROUND_TRIP.toMillis() + " ms; the reading was discarded");
        }
    }

    @Override
    public Instant instant() {
        Anchor a = anchor;
        return a.storeTime().plusNanos(nanoTime.getAsLong() - a.nanos());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the store's clock is kept in UTC");
    }
}
