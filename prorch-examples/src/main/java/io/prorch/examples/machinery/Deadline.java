package io.prorch.examples.machinery;

import java.time.Duration;

/** The end of a run's budget in monotonic time: each wait takes the least of its own bound and what is left. */
record Deadline(long nanos, Duration budget) {
    /** @return the deadline {@code budget} from now */
    static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    /** @return what is left, zero once passed */
    Duration remaining() {
        return Duration.ofNanos(Math.max(0, nanos - System.nanoTime()));
    }

    boolean passed() {
        return System.nanoTime() - nanos >= 0;
    }

    /** @return {@code bound}, or what is left if that is shorter (at least 1 ms, as timeouts must be positive) */
    Duration cap(Duration bound) {
        Duration left = remaining();
        return left.compareTo(bound) < 0 ? left.plusMillis(1) : bound;
    }
}
