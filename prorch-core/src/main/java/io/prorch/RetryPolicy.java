package io.prorch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How often a hook that throws is tried, and how long to wait between tries: exponential backoff from
 * {@code initialBackoff}, multiplied by {@code multiplier} after each failure, capped at {@code maxBackoff}.
 *
 * @param maxAttempts tries in all, at least 1 (1 means no retry)
 * @param initialBackoff wait after the first failure, not negative
 * @param multiplier growth per failure, at least 1.0
 * @param maxBackoff the longest wait, not shorter than {@code initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
    /** The default: 5 attempts, waiting 1 s, 2 s, 4 s, 8 s between them (capped at 5 minutes). */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5));

    /**
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if a value is out of range; the message names it and its value
     */
    public RetryPolicy {
        requireNonNull(initialBackoff, "initialBackoff");
        requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + maxAttempts);
        }
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative, but was " + initialBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be at least 1.0 and finite, but was " + multiplier);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must not be shorter than initialBackoff, but was "
                    + maxBackoff + " < " + initialBackoff);
        }
    }

    /** @return a policy that never retries: the first exception fails the step */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);
    }

    /**
     * @return exponential backoff doubling from {@code initialBackoff}, capped at {@code maxBackoff}
     * @throws IllegalArgumentException as the constructor does
     */
    public static RetryPolicy exponential(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        return new RetryPolicy(maxAttempts, initialBackoff, 2.0, maxBackoff);
    }

    /** @return a copy with {@code maxAttempts} */
    public RetryPolicy withMaxAttempts(int maxAttempts) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff);
    }

    /** @return a copy with {@code initialBackoff}, raising {@code maxBackoff} to it if needed */
    public RetryPolicy withInitialBackoff(Duration initialBackoff) {
        requireNonNull(initialBackoff, "initialBackoff");
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier,
                maxBackoff.compareTo(initialBackoff) < 0 ? initialBackoff : maxBackoff);
    }

    /**
     * @param failedAttempts how many attempts failed so far, at least 1
     * @return how long to wait before the next attempt
     * @throws IllegalArgumentException if {@code failedAttempts} is below 1
     */
    public Duration backoffAfter(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be at least 1, but was " + failedAttempts);
        }
        double nanos = initialBackoff.toNanos() * Math.pow(multiplier, failedAttempts - 1);
        return nanos >= maxBackoff.toNanos() ? maxBackoff : Duration.ofNanos((long) nanos);
    }
}
