package io.prorch.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.test.ForwardingRepository;
import io.prorch.repository.RepositoryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The store's clock as the engine sees it: the store's readings, advanced by the monotonic clock in between. */
class StoreClockTest {
    private static final Instant STORE_TIME = Instant.parse("2030-01-01T00:00:00Z");
    /** A local wall clock a whole day off: nothing the store clock returns may come from it. */
    private static final Clock SKEWED_LOCAL = Clock.fixed(Instant.parse("2029-12-31T00:00:00Z"), ZoneOffset.UTC);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final FakeStore store = new FakeStore();

    @Test
    void followsTheStoresTimeAdvancedByTheMonotonicClockNeverTheLocalWallClock() {
        StoreClock clock = StoreClock.attach(store, SKEWED_LOCAL, nanos::get).orElseThrow();

        nanos.addAndGet(Duration.ofSeconds(3).toNanos());

        assertThat(clock.instant()).isEqualTo(STORE_TIME.plusSeconds(3));
        assertThat(store.reads.get()).isEqualTo(1);
    }

    @Test
    void aStoreWithoutAClockGivesNoStoreClock() {
        store.hasClock = false;

        assertThat(StoreClock.attach(store, SKEWED_LOCAL, nanos::get)).isEmpty();
    }

    @Test
    void aStoreDownAtStartupIsFollowedOnceItAnswers() {
        store.down = true;
        StoreClock clock = StoreClock.attach(store, SKEWED_LOCAL, nanos::get).orElseThrow();
        assertThat(clock.instant()).as("provisionally the local clock").isEqualTo(SKEWED_LOCAL.instant());

        store.down = false;
        clock.resync();

        assertThat(clock.instant()).isEqualTo(STORE_TIME);
    }

    @Test
    void resyncsAtMostOncePerIntervalAndKeepsTheLastReadingWhileTheStoreIsDown() {
        StoreClock clock = StoreClock.attach(store, SKEWED_LOCAL, nanos::get).orElseThrow();
        clock.resyncIfOlderThan(Duration.ofSeconds(10));
        assertThat(store.reads.get()).as("fresh: no second read").isEqualTo(1);

        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        store.time = STORE_TIME.plusSeconds(60);
        store.down = true;
        clock.resyncIfOlderThan(Duration.ofSeconds(10));
        assertThat(clock.instant()).as("down: the old reading, advanced").isEqualTo(STORE_TIME.plusSeconds(11));

        store.down = false;
        clock.resyncIfOlderThan(Duration.ofSeconds(10));
        assertThat(store.reads.get()).as("the failed attempt counts: no retry before the interval").isEqualTo(2);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        clock.resyncIfOlderThan(Duration.ofSeconds(10));
        assertThat(clock.instant()).isEqualTo(STORE_TIME.plusSeconds(60));
    }

    @Test
    void takesTheMidpointOfTheRoundTripAsTheReadingsMoment() {
        store.roundTripNanos = 2_000_000;

        StoreClock clock = StoreClock.attach(store, SKEWED_LOCAL, nanos::get).orElseThrow();

        assertThat(clock.instant()).isEqualTo(STORE_TIME.plusNanos(1_000_000));
    }

    @Test
    void aReadingWhoseRoundTripIsTooLongToTrustIsDiscarded() {
        StoreClock clock = StoreClock.attach(store, SKEWED_LOCAL, nanos::get).orElseThrow();
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());

        // the read waited 12.6 s (for a pool connection): its midpoint would put the clock 6.3 s ahead
        store.roundTripNanos = Duration.ofMillis(12_600).toNanos();
        store.time = STORE_TIME.plusSeconds(20 + 13);
        clock.resync();

        assertThat(clock.instant()).as("the last good reading, advanced")
                .isEqualTo(STORE_TIME.plusSeconds(20).plusMillis(12_600));
        store.roundTripNanos = Duration.ofMillis(4).toNanos();
        store.time = clock.instant().plusSeconds(1);
        clock.resync();
        assertThat(clock.instant()).isEqualTo(store.time.plusMillis(2));
    }

    @Test
    void aFirstReadingTooSlowToTrustLeavesTheLocalClockInUseUntilAGoodOne() {
        store.roundTripNanos = Duration.ofSeconds(3).toNanos();

        StoreClock clock = StoreClock.attach(store, SKEWED_LOCAL, nanos::get).orElseThrow();

        assertThat(clock.instant()).isEqualTo(SKEWED_LOCAL.instant());
    }

    /** A store whose clock the test sets, which can be down, and whose reads take a set time. */
    private final class FakeStore extends ForwardingRepository {
        volatile Instant time = STORE_TIME;
        volatile boolean hasClock = true;
        volatile boolean down;
        volatile long roundTripNanos;
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Optional<Instant> currentTime() {
            if (!hasClock) {
                return Optional.empty();
            }
            reads.incrementAndGet();
            if (down) {
                throw new RepositoryException("reading the database's clock failed: connection refused");
            }
            nanos.addAndGet(roundTripNanos);
            return Optional.of(time);
        }
    }
}
