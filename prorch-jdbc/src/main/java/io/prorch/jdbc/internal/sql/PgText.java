package io.prorch.jdbc.internal.sql;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Values as PostgreSQL reads them from text: instants in ISO 8601 and arrays as array literals. On the hot paths
 * every parameter is bound as text with an explicit cast in the SQL, so the driver's generic {@code setObject} and
 * array encoding, large methods to compile, never run there.
 */
final class PgText {
    /** The earliest and latest instants written here, and read back exactly by PostgreSQL: years 1 to 9999. */
    static final long MIN_SECOND = -62_135_596_800L;
    static final long MAX_SECOND = 253_402_300_799L;

    private PgText() {
    }

    /** @return true if {@link #instant} can write {@code value} (years 1 to 9999) */
    static boolean writable(Instant value) {
        return value.getEpochSecond() >= MIN_SECOND && value.getEpochSecond() <= MAX_SECOND;
    }

    /**
     * @return {@code value} as {@code yyyy-mm-ddThh:mm:ss.ffffffZ} (nine fraction digits where the nanoseconds need
     *     them), which PostgreSQL reads as that instant whatever the session's time zone
     * @throws IllegalArgumentException if the year is outside 1 to 9999
     */
    static String instant(Instant value) {
        if (!writable(value)) {
            throw new IllegalArgumentException("instant outside the years 1 to 9999: " + value);
        }
        long seconds = value.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        int nano = value.getNano();
        // digits straight into a char array: StringBuilder.append(int) would be several times the code
        char[] text = new char[30];
        digits(text, 0, date.getYear(), 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
        int end = 19;
        if (nano != 0) {
            text[end++] = '.';
            boolean micros = nano % 1000 == 0;
            digits(text, end, micros ? nano / 1000 : nano, micros ? 6 : 9);
            end += micros ? 6 : 9;
        }
        text[end++] = 'Z';
        return new String(text, 0, end);
    }

    /** Writes {@code value} (not negative, below 10^width) at {@code from} as {@code width} digits. */
    private static void digits(char[] text, int from, int value, int width) {
        for (int i = from + width - 1; i >= from; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Appends one element of an array literal: {@code NULL} for null, else the text in double quotes with
     * backslashes and double quotes escaped, which PostgreSQL reads back unchanged whatever the text holds.
     */
    static void appendElement(StringBuilder literal, String element) {
        if (element == null) {
            literal.append("NULL");
            return;
        }
        literal.append('"');
        if (element.indexOf('"') < 0 && element.indexOf('\\') < 0) {
            literal.append(element);
        } else {
            escape(literal, element);
        }
        literal.append('"');
    }

    /** Appends {@code element} with a backslash before each double quote and backslash, copying the runs between. */
    private static void escape(StringBuilder literal, String element) {
        int from = 0;
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (c == '"' || c == '\\') {
                literal.append(element, from, i).append('\\');
                from = i; // the quote or backslash itself starts the next run
            }
        }
        literal.append(element, from, element.length());
    }
}
