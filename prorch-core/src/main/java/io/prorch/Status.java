package io.prorch;

import java.util.Locale;

/**
 * The status of a pipeline or of one of its steps.
 *
 * <p>A step is saved {@link #CREATED} when its pipeline starts, becomes {@link #PENDING} once
 * {@code onStart} has run, and ends {@link #FINISHED}, {@link #FAILED} or {@link #CANCELLED}. A
 * pipeline is {@link #PENDING} from its start until it ends with one of the terminal statuses. A pipeline whose
 * failure or cancel was undone by the {@link OnCompensate} hooks of its finished steps ends {@link #COMPENSATED},
 * and so does each step whose compensation ran.
 */
public enum Status {
    /** Saved but not entered yet: {@code onStart} has not completed. */
    CREATED,
    /** Running or waiting: will be continued on a later pass. */
    PENDING,
    /** Completed successfully (terminal). */
    FINISHED,
    /** Ended by {@code fail(..)} or by running out of retries (terminal). */
    FAILED,
    /** Ended by {@code cancel(..)}, from a hook or from outside (terminal). */
    CANCELLED,
    /**
     * Undone (terminal): a step whose {@link OnCompensate} hook ran, or a pipeline that failed or was cancelled and
     * whose finished steps were all compensated (its {@code lastError} keeps the reason).
     */
    COMPENSATED;

    /** Every status, for parsing without the copy {@code values()} makes: statuses are read with every row. */
    private static final Status[] ALL = values();

    private final String value = name().toLowerCase(Locale.ROOT);

    /** @return true for {@link #FINISHED}, {@link #FAILED}, {@link #CANCELLED} and {@link #COMPENSATED} */
    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == CANCELLED || this == COMPENSATED;
    }

    /** @return the lower-case name stored by repositories, e.g. {@code "pending"} (the Python prorch's values) */
    public String value() {
        return value;
    }

    /**
     * Parses a stored value such as {@code "pending"} (case-insensitive).
     *
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if {@code value} names no status
     */
    public static Status fromValue(String value) {
        java.util.Objects.requireNonNull(value, "value");
        for (Status status : ALL) {
            if (status.value.equals(value)) {
                return status;
            }
        }
        for (Status status : ALL) {
            if (status.value.equalsIgnoreCase(value.trim())) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown status \"" + value
                + "\"; expected one of created, pending, finished, failed, cancelled, compensated");
    }
}
