package io.prorch.jdbc.internal.json;

/**
 * The JSON texts of recently read or written metadata maps and step lists, looked up by the identity of the value.
 * A record's metadata is immutable ({@code JsonValues}' canonical maps), and a transition that leaves it alone hands
 * the very same map on to the next record; so a pipeline read at its claim and updated at each of its steps would
 * otherwise have its unchanged metadata encoded again at every update, the largest part of the encoding an update
 * costs.
 *
 * <p>Direct-mapped by identity hash, without locks: a slot holds an immutable entry, so a reader sees either a whole
 * entry or another one, and a lost race only costs one more encoding. Only short texts are kept, so the cache holds
 * at most {@link #SLOTS} × {@link #MAX_CHARS} characters (and the values they encode) whatever the metadata's size.
 */
final class JsonTexts {
    /** Enough for the pipelines of several claim batches in flight (hit rates in BENCHMARKS.md). */
    static final int SLOTS = 4096;
    /** Longer texts are encoded again each time: keeping them would make the cache large. */
    static final int MAX_CHARS = 512;

    private record Entry(Object value, String text) {
    }

    private final Entry[] slots = new Entry[SLOTS];

    /** @return the text remembered for exactly {@code value} (the same instance), or null */
    String get(Object value) {
        Entry entry = slots[slot(value)];
        return entry != null && entry.value == value ? entry.text : null;
    }

    /** Remembers {@code text} as the JSON of {@code value}, an immutable value, unless the text is long. */
    void put(Object value, String text) {
        if (text.length() <= MAX_CHARS) {
            slots[slot(value)] = new Entry(value, text);
        }
    }

    private static int slot(Object value) {
        int h = System.identityHashCode(value);
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
