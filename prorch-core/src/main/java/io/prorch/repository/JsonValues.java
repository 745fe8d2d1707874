package io.prorch.repository;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The JSON value model of metadata: turns user-supplied metadata into its canonical, immutable form, and rejects what
 * JSON cannot hold. Records canonicalize their metadata with it; stores may use it to build what they read back
 * ({@link #canonicalMap}) and users edit metadata through {@link io.prorch.Metadata}.
 *
 * <p>Canonical values: {@code String}, {@code Boolean}, {@code null}, {@code Long} (every integral type that fits),
 * {@code BigInteger} (larger integers), {@code Double} (finite; floats are widened through their decimal text so
 * {@code 0.1f} stays 0.1; {@code -0.0} becomes {@code 0.0}, as JSON stores such as PostgreSQL's jsonb have no
 * negative zero), unmodifiable {@code List}s and insertion-ordered unmodifiable {@code Map}s with String keys.
 * Strings and keys must be valid Unicode (no unpaired surrogates) without U+0000, which PostgreSQL cannot store. This is exactly what survives a JSON
 * round trip, so a value read back from any store equals the value put (key order is not kept by every store).
 */
public final class JsonValues {
    /** Deepest nesting accepted; also stops cyclic structures. */
    public static final int MAX_DEPTH = 64;

    private static final String ALLOWED =
            "only JSON types are allowed (String, Number, Boolean, null, List, Map<String, ?>)";

    private JsonValues() {
    }

    /**
     * @param map the metadata to check and copy; a map already canonical is returned as is
     * @param what how to name the map in messages, e.g. {@code "Metadata"}
     * @return an immutable canonical copy
     * @throws NullPointerException if {@code map} is null
     * @throws IllegalArgumentException naming the key and the type of the first value JSON cannot hold
     */
    public static Map<String, Object> canonicalMap(Map<String, ?> map, String what) {
        Objects.requireNonNull(map, what);
        if (map instanceof CanonicalMap) {
            return castMap(map);
        }
        return copyMap(map, what, "", 1);
    }

    /**
     * Checks and converts one value for {@code key}.
     *
     * @throws IllegalArgumentException if JSON cannot hold the value
     */
    public static Object canonicalValue(Object value, String what, String key) {
        return copyValue(value, what, key, 1);
    }

    /**
     * The size of a canonical value written as compact JSON in UTF-8, as stores write it (control characters are
     * counted as six-character escapes, so this never undercounts). Used to check metadata against a size limit before
     * anything is written.
     *
     * @param value a canonical value (see the class comment)
     * @return its size in bytes
     */
    public static long jsonSize(Object value) {
        if (value == null) {
            return 4;
        }
        if (value instanceof String text) {
            return stringSize(text);
        }
        if (value instanceof Boolean b) {
            return b ? 4 : 5;
        }
        if (value instanceof Map<?, ?> map) {
            long size = 2 + Math.max(0, map.size() - 1);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                size += stringSize((String) e.getKey()) + 1 + jsonSize(e.getValue());
            }
            return size;
        }
        if (value instanceof List<?> list) {
            long size = 2 + Math.max(0, list.size() - 1);
            for (Object element : list) {
                size += jsonSize(element);
            }
            return size;
        }
        return value.toString().length();   // Long, Double, BigInteger: ASCII
    }

    private static long stringSize(String text) {
        long size = 2;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                size += 2;
            } else if (c < 0x20) {
                size += 6;
            } else if (c < 0x80) {
                size += 1;
            } else if (c < 0x800) {
                size += 2;
            } else if (Character.isHighSurrogate(c)) {
                size += 4;
                i++;
            } else {
                size += 3;
            }
        }
        return size;
    }

    /** @return an empty canonical map */
    public static Map<String, Object> emptyMap() {
        return CanonicalMap.EMPTY;
    }

    /** @return true if {@code value} is already canonical and may be shared without copying */
    public static boolean isCanonical(Object value) {
        return value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double || value instanceof BigInteger
                || value instanceof CanonicalMap || value instanceof CanonicalList;
    }

    /**
     * Makes a mutable deep copy (LinkedHashMap / ArrayList) of a canonical map, for code that edits metadata.
     */
    public static Map<String, Object> mutableCopy(Map<String, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, mutableValue(v)));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object mutableValue(Object value) {
        if (value instanceof Map<?, ?> m) {
            return mutableCopy((Map<String, ?>) m);
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(mutableValue(v)));
            return copy;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<String, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> copyMap(Map<?, ?> map, String what, String path, int depth) {
        checkDepth(what, path, depth);
        if (map.isEmpty()) {
            return CanonicalMap.EMPTY;
        }
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 4 / 3 + 1));
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object key = entry.getKey();
            if (!(key instanceof String name)) {
                throw new IllegalArgumentException(what + (path.isEmpty() ? "" : " key \"" + path + "\"")
                        + " has a " + (key == null ? "null" : key.getClass().getName())
                        + " key; map keys must be non-null Strings");
            }
            String child = path.isEmpty() ? name : path + "." + name;
            checkText(name, what, child);
            copy.put(name, copyValue(entry.getValue(), what, child, depth + 1));
        }
        return new CanonicalMap(copy);
    }

    private static Object copyValue(Object value, String what, String path, int depth) {
        if (value instanceof String text) {
            return checkText(text, what, path);
        }
        if (value == null || value instanceof Boolean || value instanceof Long
                || value instanceof CanonicalMap || value instanceof CanonicalList) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double d) {
            return finite(d, what, path);
        }
        if (value instanceof Float f) {
            return finite(Double.valueOf(f.toString()), what, path);
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (value instanceof Map<?, ?> map) {
            return copyMap(map, what, path, depth);
        }
        if (value instanceof List<?> list) {
            return copyList(list, what, path, depth);
        }
        throw new IllegalArgumentException(what + " key \"" + path + "\" holds a " + value.getClass().getName()
                + "; " + ALLOWED + hint(value));
    }

    private static String hint(Object value) {
        if (value instanceof BigDecimal) {
            return "; store a BigDecimal as a String (toPlainString()) to keep its exact value";
        }
        if (value instanceof Enum<?>) {
            return "; store an enum as its name()";
        }
        if (value instanceof Character) {
            return "; store a char as a String";
        }
        if (value instanceof Set<?> || value instanceof Iterable<?> || value.getClass().isArray()) {
            return "; copy it into a List";
        }
        if (value instanceof java.time.temporal.TemporalAccessor || value instanceof java.util.Date) {
            return "; store a time as its ISO-8601 String (toString())";
        }
        return "";
    }

    private static Double finite(Double d, String what, String path) {
        if (d.isNaN() || d.isInfinite()) {
            throw new IllegalArgumentException(what + " key \"" + path + "\" holds " + d
                    + "; JSON numbers must be finite");
        }
        return d == 0.0 ? 0.0 : d;
    }

    private static String checkText(String text, String what, String path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                throw new IllegalArgumentException(what + " key \"" + path + "\" holds a String with a NUL character"
                        + " (U+0000), which PostgreSQL cannot store; remove or escape it");
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1));
                if (!paired) {
                    throw new IllegalArgumentException(what + " key \"" + path + "\" holds a String with an unpaired"
                            + " surrogate at index " + i + ", which is not valid Unicode and cannot be stored as JSON");
                }
                i++;
            }
        }
        return text;
    }

    private static List<Object> copyList(List<?> list, String what, String path, int depth) {
        checkDepth(what, path, depth);
        Object[] copy = new Object[list.size()];
        int i = 0;
        for (Object element : list) {
            copy[i] = copyValue(element, what, path + "[" + i + "]", depth + 1);
            i++;
        }
        return new CanonicalList(copy);
    }

    private static void checkDepth(String what, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(what + " key \"" + path + "\" is nested deeper than " + MAX_DEPTH
                    + " levels (or contains itself); flatten it");
        }
    }

    /** An insertion-ordered map that nobody can change; its class marks it as already checked. */
    private static final class CanonicalMap extends AbstractMap<String, Object> {
        static final CanonicalMap EMPTY = new CanonicalMap(new LinkedHashMap<>());
        private final Map<String, Object> delegate;

        CanonicalMap(LinkedHashMap<String, Object> delegate) {
            this.delegate = Collections.unmodifiableMap(delegate);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return delegate.entrySet();
        }

        @Override
        public Object get(Object key) {
            return delegate.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return delegate.containsKey(key);
        }

        @Override
        public int size() {
            return delegate.size();
        }
    }

    /** A list that nobody can change; its class marks it as already checked. */
    private static final class CanonicalList extends AbstractList<Object> implements java.util.RandomAccess {
        private final Object[] elements;

        CanonicalList(Object[] elements) {
            this.elements = elements;
        }

        @Override
        public Object get(int index) {
            return elements[index];
        }

        @Override
        public int size() {
            return elements.length;
        }
    }
}
