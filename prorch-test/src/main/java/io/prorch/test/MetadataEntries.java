package io.prorch.test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/** Compares a metadata entry the way a test means it: a stored 2L equals an expected 2. */
final class MetadataEntries {
    private MetadataEntries() {
    }

    /** @return null if {@code metadata} maps {@code key} to {@code expected}, else what differs, as a message end */
    static String mismatch(Map<String, Object> metadata, String key, Object expected) {
        String wanted = "to have metadata \"" + key + "\" = " + show(expected);
        if (!metadata.containsKey(key)) {
            return wanted + ", but it has no key \"" + key + "\"; its keys are " + metadata.keySet();
        }
        Object found = metadata.get(key);
        return same(expected, found) ? null : wanted + ", but it is " + show(found);
    }

    private static boolean same(Object expected, Object found) {
        if (expected instanceof Number e && found instanceof Number f) {
            try {
                return new BigDecimal(e.toString()).compareTo(new BigDecimal(f.toString())) == 0;
            } catch (NumberFormatException notFinite) {
                return e.equals(f);
            }
        }
        return Objects.equals(expected, found);
    }

    private static String show(Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }
}
