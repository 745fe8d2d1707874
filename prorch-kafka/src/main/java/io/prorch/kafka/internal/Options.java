package io.prorch.kafka.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The checks the builders of prorch-kafka share, with messages that name the option and the value. */
public final class Options {
    private Options() {
    }

    /**
     * @return {@code value}, if not blank and at most 249 characters (Kafka's limit for topic names)
     * @throws NullPointerException naming {@code what} if null
     * @throws IllegalArgumentException naming {@code what} and the value otherwise
     */
    public static String text(String value, String what) {
        requireNonNull(value, what);
        if (value.isBlank() || value.length() > 249) {
            throw new IllegalArgumentException(what + " must be 1 to 249 non-blank characters, but was \""
                    + Json.abbreviate(value) + "\"");
        }
        return value;
    }

    /** @return the values, each checked by {@link #text} */
    public static List<String> texts(String[] values, String what) {
        requireNonNull(values, what);
        if (values.length == 0) {
            throw new IllegalArgumentException(what + " needs at least one value");
        }
        List<String> list = new ArrayList<>();
        for (String value : values) {
            list.add(text(value, what));
        }
        return list;
    }

    /**
     * @return {@code value}, if in [{@code min}, {@code max}]
     * @throws NullPointerException naming {@code what} if null
     * @throws IllegalArgumentException naming {@code what}, the range and the value otherwise
     */
    public static Duration between(Duration value, Duration min, Duration max, String what) {
        requireNonNull(value, what);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(what + " must be between " + min + " and " + max + ", but was "
                    + value);
        }
        return value;
    }

    /** @throws IllegalArgumentException naming {@code what}, the range and the value if out of range */
    public static int within(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "], but was " + value);
        }
        return value;
    }

    /** @return a reason for a dead letter: the exception's type and message, never null */
    public static String reason(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
