package io.prorch.jdbc.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prorch.repository.JsonValues;
import io.prorch.repository.RecordRejectedException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The codec's texts: what it remembers by identity, and where it encodes again. */
class JsonCodecTest {
    private final JsonCodec codec = new JsonCodec(new ObjectMapper(), 1_000_000);

    private static Map<String, Object> map(Map<String, ?> values) {
        return JsonValues.canonicalMap(values, "metadata");
    }

    @Test
    void aMapReadFromTheStoreIsWrittenAsTheTextItWasReadFrom() {
        Map<String, Object> read = map(Map.of("id", 7L));
        codec.read(read, "{\"id\": 7}");
        assertThat(codec.metadata(read, "pipeline p")).isEqualTo("{\"id\": 7}");
    }

    @Test
    void anEqualMapThatIsAnotherInstanceIsEncoded() {
        codec.read(map(Map.of("id", 7L)), "{\"id\": 7}");
        assertThat(codec.metadata(map(Map.of("id", 7L)), "pipeline p")).isEqualTo("{\"id\":7}");
    }

    @Test
    void aMapWrittenTwiceGivesTheSameTextBothTimes() {
        Map<String, Object> metadata = map(Map.of("name", "orders", "tries", 3L));
        String first = codec.metadata(metadata, "pipeline p");
        assertThat(codec.metadata(metadata, "pipeline p")).isSameAs(first);
        assertThat(first).contains("\"name\":\"orders\"", "\"tries\":3");
    }

    @Test
    void stepNamesAreRememberedLikeMetadata() {
        List<String> names = List.of("A", "B");
        codec.read(names, "[\"A\", \"B\"]");
        assertThat(codec.stepNames(names, "pipeline p")).isEqualTo("[\"A\", \"B\"]");
        assertThat(codec.stepNames(List.of("A", "B"), "pipeline p")).isEqualTo("[\"A\",\"B\"]");
    }

    @Test
    void aRememberedTextNearTheLimitIsEncodedCompactlyRatherThanRefused() {
        JsonCodec small = new JsonCodec(new ObjectMapper(), 12);
        Map<String, Object> read = map(Map.of("id", 12345L));
        small.read(read, "{\"id\":     12345}"); // 17 bytes as the store spelled it; 12 bytes compact
        assertThat(small.metadata(read, "pipeline p")).isEqualTo("{\"id\":12345}");
        assertThatThrownBy(() -> small.metadata(map(Map.of("id", 123456L)), "pipeline q"))
                .isInstanceOf(RecordRejectedException.class).hasMessageContaining("pipeline q")
                .hasMessageContaining("over the limit of 12 bytes");
    }

    @Test
    void longTextsAreNotRemembered() {
        Map<String, Object> large = map(Map.of("text", "x".repeat(JsonTexts.MAX_CHARS)));
        codec.read(large, "{\"text\": \"" + "x".repeat(JsonTexts.MAX_CHARS) + "\"}");
        assertThat(codec.metadata(large, "pipeline p")).startsWith("{\"text\":\"x");
    }

    @Test
    void emptyAndOtherStoredObjectsAreReadAsCanonicalMaps() {
        assertThat(codec.readMetadata("{}", "step s")).isEmpty();
        assertThat(codec.readMetadata("{ }", "step s")).isEmpty();
        assertThat(codec.readMetadata("{\"id\": 7}", "step s")).containsEntry("id", 7);
        assertThatThrownBy(() -> codec.readMetadata("[]", "step s")).hasMessageContaining("step s")
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void equalStepListsReadFromTheStoreAreOneList() {
        List<String> first = codec.readStepNames("[\"A\", \"B\"]", "pipeline p");
        assertThat(first).containsExactly("A", "B");
        assertThat(codec.readStepNames("[\"A\", \"B\"]", "pipeline q")).isSameAs(first);
        assertThat(codec.readStepNames("[\"A\"]", "pipeline r")).containsExactly("A");
        assertThatThrownBy(() -> codec.readStepNames("{}", "pipeline s")).hasMessageContaining("pipeline s")
                .hasMessageContaining("not a JSON array");
    }
}
