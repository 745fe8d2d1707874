package io.prorch.internal.engine;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Renders a throwable as bounded text for storage: type, message, a few frames, and the cause chain. Survives
 * throwables whose {@code getMessage()} or {@code toString()} throw, cyclic causes and huge messages.
 */
public final class ErrorSummary {
    /** Longest summary stored, in characters. */
    public static final int MAX_LENGTH = 4000;
    private static final int MAX_MESSAGE = 1000;
    private static final int MAX_FRAMES = 8;
    private static final int MAX_CAUSES = 4;

    private ErrorSummary() {
    }

    /** @return a summary of {@code error} of at most {@link #MAX_LENGTH} characters */
    public static String of(Throwable error) {
        StringBuilder text = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = error;
        for (int depth = 0; current != null && depth <= MAX_CAUSES && seen.add(current); depth++) {
            if (depth > 0) {
                text.append("\nCaused by: ");
            }
            text.append(headline(current));
            StackTraceElement[] frames = safeFrames(current);
            for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
                text.append("\n\tat ").append(frames[i]);
            }
            if (frames.length > MAX_FRAMES) {
                text.append("\n\t... ").append(frames.length - MAX_FRAMES).append(" more");
            }
            current = safeCause(current);
        }
        return truncate(text.toString(), MAX_LENGTH);
    }

    /** @return a reason given to fail(..) or cancel(..), bounded and storable */
    public static String reason(String reason) {
        return truncate(reason, MAX_LENGTH);
    }

    /** @return the first line of {@code text}, bounded, or null for null */
    public static String firstLine(String text) {
        if (text == null) {
            return null;
        }
        int end = text.indexOf('\n');
        return truncate(end < 0 ? text : text.substring(0, end), MAX_MESSAGE);
    }

    /** @return {@code "type: message"} of {@code error}, bounded, never throwing */
    public static String headline(Throwable error) {
        String message;
        try {
            message = error.getMessage();
        } catch (Throwable e) { // even a StackOverflowError from a recursive getMessage() must not escape
            message = "<getMessage() threw " + e.getClass().getName() + ">";
        }
        String type = error.getClass().getName();
        return message == null ? type : type + ": " + truncate(message, MAX_MESSAGE);
    }

    /**
     * @return {@code text} made storable in any text column (NUL written as {@code \0}, unpaired surrogates replaced
     *     by U+FFFD), cut to at most {@code max} characters, never inside a surrogate pair, with an ellipsis when cut
     */
    public static String truncate(String text, int max) {
        String cut = text;
        if (text.length() > max) {
            int end = max - 3;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--; // keep a pair whole
            }
            cut = text.substring(0, end) + "...";
        }
        return storable(cut);
    }

    private static String storable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pairStart = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            String replacement = c == '\u0000' ? "\\0"
                    : Character.isSurrogate(c) && !pairStart ? "\uFFFD" : null;
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                    if (pairStart) {
                        out.append(text.charAt(++i));
                    }
                }
            } else if (pairStart) {
                i++;
            }
        }
        return out == null ? text : out.toString();
    }

    private static StackTraceElement[] safeFrames(Throwable error) {
        try {
            return error.getStackTrace();
        } catch (Throwable e) {
            return new StackTraceElement[0];
        }
    }

    private static Throwable safeCause(Throwable error) {
        try {
            return error.getCause();
        } catch (Throwable e) {
            return null;
        }
    }
}
