package io.prorch.internal.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Time as the engine stores it: microseconds, the precision every supported store keeps. */
final class Clocks {
    private Clocks() {
    }

    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
