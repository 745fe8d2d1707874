package io.prorch;

import static java.util.Objects.requireNonNull;

import io.prorch.repository.JsonValues;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * A hook's editable view of step or pipeline metadata: JSON-compatible values under String keys.
 *
 * <p>Allowed values are String, Boolean, null, numbers (integral ones are kept as {@code Long}, or
 * {@code BigInteger} beyond its range; {@code float} and {@code double} as {@code Double}), {@code List}s and
 * {@code Map<String, ?>}s of these, nested up to 64 levels. {@link #put} rejects anything else at once with a
 * message naming the key and the type, so a bad value never reaches the store. Not thread-safe.
 */
public final class Metadata {
    private static final String WHAT = "Metadata";
    /** The canonical (immutable) values given, until the first change copies them into {@code edited}. */
    private final Map<String, Object> initial;
    /** Null until a change: most hooks only read, and a hook call should not cost a copy of its metadata. */
    private LinkedHashMap<String, Object> edited;

    /**
     * Creates an editable copy of {@code initial}.
     *
     * @param initial the values to start with (checked and copied)
     * @throws NullPointerException if {@code initial} is null
     * @throws IllegalArgumentException if a value is not JSON-compatible
     */
    public Metadata(Map<String, ?> initial) {
        this.initial = JsonValues.canonicalMap(initial, WHAT);
    }

    private Map<String, Object> values() {
        return edited != null ? edited : initial;
    }

    private LinkedHashMap<String, Object> edited() {
        if (edited == null) {
            edited = new LinkedHashMap<>(initial);
        }
        return edited;
    }

    /**
     * Stores {@code value} under {@code key}, replacing any earlier value.
     *
     * @return this, for chaining
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code value} (or something nested in it) is not JSON-compatible
     */
    public Metadata put(String key, Object value) {
        requireNonNull(key, "key");
        Object canonical = JsonValues.canonicalValue(value, WHAT, key);
        edited().put(key, canonical);
        return this;
    }

    /**
     * Stores every entry of {@code entries}; nothing is stored if one of them is rejected.
     *
     * @return this, for chaining
     * @throws NullPointerException if {@code entries} is null
     * @throws IllegalArgumentException if a key is not a String or a value is not JSON-compatible
     */
    public Metadata putAll(Map<String, ?> entries) {
        Map<String, Object> canonical = JsonValues.canonicalMap(entries, WHAT);
        edited().putAll(canonical);
        return this;
    }

    /**
     * Removes {@code key}.
     *
     * @return this, for chaining
     * @throws NullPointerException if {@code key} is null
     */
    public Metadata remove(String key) {
        if (contains(key)) {
            edited().remove(key);
        }
        return this;
    }

    /** @return true if {@code key} is present (even with a null value) */
    public boolean contains(String key) {
        return values().containsKey(requireNonNull(key, "key"));
    }

    /** @return the keys, in insertion order (unmodifiable) */
    public Set<String> keys() {
        return Collections.unmodifiableSet(values().keySet());
    }

    /** @return how many keys are present */
    public int size() {
        return values().size();
    }

    /** @return true if no key is present */
    public boolean isEmpty() {
        return values().isEmpty();
    }

    /** @return the value under {@code key} in its canonical form, or empty if absent or null */
    public Optional<Object> get(String key) {
        return Optional.ofNullable(values().get(requireNonNull(key, "key")));
    }

    /**
     * @return the String under {@code key}
     * @throws NoSuchElementException if {@code key} is absent or holds null
     * @throws IllegalStateException if it holds another type
     */
    public String getString(String key) {
        return require(key, String.class);
    }

    /** @return the String under {@code key}, or {@code fallback} if absent or null */
    public String getString(String key, String fallback) {
        return contains(key) && values().get(key) != null ? getString(key) : fallback;
    }

    /**
     * @return the integral number under {@code key}
     * @throws NoSuchElementException if {@code key} is absent or holds null
     * @throws IllegalStateException if it holds something else, or an integer beyond the long range
     */
    public long getLong(String key) {
        Object value = require(key, Object.class);
        if (value instanceof Long l) {
            return l;
        }
        throw wrongType(key, value, value instanceof BigInteger ? "long (it is beyond the long range)" : "long");
    }

    /** @return the integral number under {@code key}, or {@code fallback} if absent or null */
    public long getLong(String key, long fallback) {
        return contains(key) && values().get(key) != null ? getLong(key) : fallback;
    }

    /**
     * @return the integral number under {@code key}
     * @throws NoSuchElementException if {@code key} is absent or holds null
     * @throws IllegalStateException if it holds something else or a value beyond the int range
     */
    public int getInt(String key) {
        long value = getLong(key);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw wrongType(key, value, "int (it is beyond the int range)");
        }
        return (int) value;
    }

    /**
     * @return the number under {@code key} as a double (integral numbers are converted)
     * @throws NoSuchElementException if {@code key} is absent or holds null
     * @throws IllegalStateException if it holds something other than a number
     */
    public double getDouble(String key) {
        return require(key, Number.class).doubleValue();
    }

    /**
     * @return the Boolean under {@code key}
     * @throws NoSuchElementException if {@code key} is absent or holds null
     * @throws IllegalStateException if it holds another type
     */
    public boolean getBoolean(String key) {
        return require(key, Boolean.class);
    }

    /** @return the Boolean under {@code key}, or {@code fallback} if absent or null */
    public boolean getBoolean(String key, boolean fallback) {
        return contains(key) && values().get(key) != null ? getBoolean(key) : fallback;
    }

    /**
     * @return the list under {@code key} (unmodifiable; put a new list to change it)
     * @throws NoSuchElementException if {@code key} is absent or holds null
     * @throws IllegalStateException if it holds another type
     */
    @SuppressWarnings("unchecked")
    public List<Object> getList(String key) {
        return require(key, List.class);
    }

    /**
     * @return the map under {@code key} (unmodifiable; put a new map to change it)
     * @throws NoSuchElementException if {@code key} is absent or holds null
     * @throws IllegalStateException if it holds another type
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String key) {
        return require(key, Map.class);
    }

    /** @return an unmodifiable snapshot of all values, in canonical form */
    public Map<String, Object> asMap() {
        return edited == null ? initial : JsonValues.canonicalMap(edited, WHAT);
    }

    private <T> T require(String key, Class<T> type) {
        requireNonNull(key, "key");
        Object value = values().get(key);
        if (value == null) {
            throw new NoSuchElementException(WHAT + " has no value under \"" + key + "\"" + (values().containsKey(key)
                    ? " (it holds null)" : "; present keys: " + values().keySet()));
        }
        if (!type.isInstance(value)) {
            throw wrongType(key, value, type.getSimpleName());
        }
        return type.cast(value);
    }

    private IllegalStateException wrongType(String key, Object value, String wanted) {
        return new IllegalStateException(WHAT + " key \"" + key + "\" holds a " + value.getClass().getSimpleName()
                + " (" + abbreviate(value) + "), not a " + wanted);
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    @Override
    public String toString() {
        return values().toString();
    }
}
