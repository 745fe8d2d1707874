package io.prorch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What a step that started child pipelines waits for ({@link StepContext#awaitChildren}): all of them, any one, or at
 * least {@code n} to end (finished, failed, cancelled or compensated: a child that fails is reported to the hook, which
 * decides), and for how long at most. Immutable.
 *
 * <pre>{@code
 * ctx.awaitChildren(ChildWait.all().timeout(Duration.ofHours(2)));
 * }</pre>
 *
 * @param needed how many children must have ended; {@link #ALL} for all of them
 * @param timeout how long to wait at most before the hook is called anyway ({@link Children#timedOut()} is then true)
 */
public record ChildWait(int needed, Duration timeout) {
    /** {@link #needed} for "every child". */
    public static final int ALL = -1;
    /** The timeout of a wait that sets none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofDays(1);

    /**
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code needed} is neither {@link #ALL} nor positive, or {@code timeout} is not
     *     positive
     */
    public ChildWait {
        requireNonNull(timeout, "timeout");
        if (needed != ALL && needed < 1) {
            throw new IllegalArgumentException("ChildWait needs at least 1 child to end (or ChildWait.all()), but was"
                    + " given " + needed);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ChildWait timeout must be positive, but was " + timeout);
        }
    }

    /** @return a wait for every child this step started to end */
    public static ChildWait all() {
        return new ChildWait(ALL, DEFAULT_TIMEOUT);
    }

    /** @return a wait for the first child to end */
    public static ChildWait any() {
        return new ChildWait(1, DEFAULT_TIMEOUT);
    }

    /**
     * @param n how many children must have ended, 1 or more (more than the step started means all of them)
     * @return a wait for {@code n} children to end
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    public static ChildWait atLeast(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("ChildWait.atLeast(n) needs n >= 1, but was " + n);
        }
        return new ChildWait(n, DEFAULT_TIMEOUT);
    }

    /**
     * @param timeout how long to wait at most; positive
     * @return this wait with {@code timeout}
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public ChildWait timeout(Duration timeout) {
        return new ChildWait(needed, timeout);
    }
}
