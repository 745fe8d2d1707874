package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class MetadataTest {
    private final Metadata metadata = new Metadata(Map.of());

    @Test
    void keepsJsonValuesInCanonicalFormWithTypedGetters() {
        metadata.put("int", 7).put("long", Long.MAX_VALUE).put("float", 0.1f).put("text", "zażółć 🙂")
                .put("zero", -0.0)
                .put("flag", true).put("nothing", null).put("big", BigInteger.TEN.pow(30))
                .put("nested", Map.of("list", List.of(1, "two", Map.of("three", 3.5))));

        assertThat(metadata.getInt("int")).isEqualTo(7);
        assertThat(metadata.get("int")).contains(7L);
        assertThat(metadata.getLong("long")).isEqualTo(Long.MAX_VALUE);
        assertThat(metadata.getDouble("float")).isEqualTo(0.1);
        assertThat(metadata.getDouble("int")).isEqualTo(7.0);
        assertThat(metadata.getString("text")).isEqualTo("zażółć 🙂");
        assertThat(metadata.get("zero")).contains(0.0);
        assertThat(metadata.getBoolean("flag")).isTrue();
        assertThat(metadata.contains("nothing")).isTrue();
        assertThat(metadata.get("nothing")).isEmpty();
        assertThat(metadata.getMap("nested").get("list")).isEqualTo(List.of(1L, "two", Map.of("three", 3.5)));
        assertThat(metadata.keys()).containsExactly("int", "long", "float", "text", "zero", "flag", "nothing", "big",
                "nested");
    }

    @Test
    void rejectsWhatJsonCannotHoldNamingKeyAndType() {
        assertThatThrownBy(() -> metadata.put("attempts", java.time.Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Metadata key \"attempts\" holds a java.time.Instant; only JSON types are allowed"
                        + " (String, Number, Boolean, null, List, Map<String, ?>); store a time as its ISO-8601"
                        + " String (toString())");
        assertThatThrownBy(() -> metadata.put("order", Map.of("total", new java.math.BigDecimal("1.10"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key \"order.total\" holds a java.math.BigDecimal")
                .hasMessageContaining("toPlainString()");
        assertThatThrownBy(() -> metadata.put("ratio", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be finite");
        Map<Object, Object> badKey = new HashMap<>();
        badKey.put(1, "x");
        assertThatThrownBy(() -> metadata.put("map", badKey))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys must be non-null Strings");
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        assertThatThrownBy(() -> metadata.put("loop", cyclic))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper than 64");
        assertThatThrownBy(() -> metadata.put("bad", "a\ud800b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate at index 1");
        assertThatThrownBy(() -> metadata.put("nul", "a\u0000b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL character");
        assertThatThrownBy(() -> metadata.put(null, "x")).isInstanceOf(NullPointerException.class);
        assertThat(metadata.isEmpty()).as("nothing stored after rejected puts").isTrue();
    }

    @Test
    void typedGettersExplainMissingKeysAndWrongTypes() {
        metadata.put("count", "seven").put("huge", Long.MAX_VALUE).put("nothing", null);

        assertThatThrownBy(() -> metadata.getString("missing"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("Metadata has no value under \"missing\"; present keys: [count, huge, nothing]");
        assertThatThrownBy(() -> metadata.getString("nothing"))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("(it holds null)");
        assertThatThrownBy(() -> metadata.getLong("count"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Metadata key \"count\" holds a String (seven), not a long");
        assertThatThrownBy(() -> metadata.getInt("huge"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("beyond the int range");
        assertThat(metadata.getString("missing", "fallback")).isEqualTo("fallback");
        assertThat(metadata.getLong("nothing", 3)).isEqualTo(3);
    }

    @Test
    void putAllIsAllOrNothingAndSnapshotsAreUnmodifiable() {
        metadata.put("a", 1);

        assertThatThrownBy(() -> metadata.putAll(Map.of("b", 2, "c", new Object())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(metadata.keys()).containsExactly("a");
        Map<String, Object> snapshot = metadata.asMap();
        assertThatThrownBy(() -> snapshot.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        metadata.remove("a");
        assertThat(snapshot).containsEntry("a", 1L);
    }

    @Test
    void editsNeverReachTheMapItWasMadeFromNorAnEarlierSnapshot() {
        Map<String, Object> initial = new Metadata(Map.of("a", 1, "b", List.of("x"))).asMap();
        Metadata view = new Metadata(initial);

        assertThat(view.asMap()).as("unchanged, the snapshot is the canonical map given").isSameAs(initial);
        Map<String, Object> before = view.asMap();
        view.put("c", true).remove("a");
        view.remove("absent");

        assertThat(initial).containsOnlyKeys("a", "b");
        assertThat(before).containsOnlyKeys("a", "b");
        assertThat(view.asMap()).containsOnlyKeys("b", "c").containsEntry("c", true);
        assertThat(view.keys()).containsExactly("b", "c");
        assertThat(view.contains("a")).isFalse();
        assertThatThrownBy(() -> view.remove(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Metadata(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aMutableMapGivenIsCopiedSoLaterChangesToItAreNotSeen() {
        Map<String, Object> source = new HashMap<>(Map.of("a", 1));
        Metadata view = new Metadata(source);
        source.put("b", 2);

        assertThat(view.keys()).containsExactly("a");
        assertThat(view.asMap()).isNotSameAs(source).containsOnlyKeys("a");
    }
}
