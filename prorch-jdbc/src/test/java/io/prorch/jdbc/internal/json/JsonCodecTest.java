package io.prorch.jdbc.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prorch.repository.JsonValues;
import io.prorch.repository.RecordRejectedException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The codec's reading and writing of metadata and step lists. */
class JsonCodecTest {
    private final JsonCodec codec = new JsonCodec(new ObjectMapper(), 1_000_000);

    private static Map<String, Object> map(Map<String, ?> values) {
        return JsonValues.canonicalMap(values, "metadata");
    }

    @Test
    void metadataIsWrittenCompactlyAndRefusedOverTheLimitByName() {
        Map<String, Object> metadata = map(Map.of("name", "orders", "tries", 3L));
        assertThat(codec.metadata(metadata, "pipeline p")).contains("\"name\":\"orders\"", "\"tries\":3")
                .doesNotContain(" ");
        JsonCodec small = new JsonCodec(new ObjectMapper(), 12);
        assertThat(small.metadata(map(Map.of("id", 12345L)), "pipeline p")).isEqualTo("{\"id\":12345}");
        assertThatThrownBy(() -> small.metadata(map(Map.of("id", 123456L)), "pipeline q"))
                .isInstanceOf(RecordRejectedException.class).hasMessageContaining("pipeline q")
                .hasMessageContaining("over the limit of 12 bytes");
    }

    @Test
    void emptyAndOtherStoredObjectsAreReadAsMaps() {
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
