package io.prorch.kafka.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prorch.repository.JsonValues;
import java.util.Map;

/** Messages as JSON objects: what a command carries, what a reply or a start message holds. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private Json() {
    }

    /**
     * @param text a JSON object; null or blank reads as an empty object
     * @return its members, in prorch's canonical form (integers as {@code Long}, ...)
     * @throws IllegalArgumentException naming the problem if {@code text} is not a JSON object
     */
    public static Map<String, Object> parseObject(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        if (!text.stripLeading().startsWith("{")) {
            throw new IllegalArgumentException("not a JSON object: " + abbreviate(text));
        }
        try {
            return JsonValues.canonicalMap(MAPPER.readValue(text, OBJECT), "JSON object");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object (" + e.getOriginalMessage() + "): "
                    + abbreviate(text), e);
        }
    }

    /**
     * @return {@code values} as a JSON object
     * @throws IllegalArgumentException if a value cannot be written as JSON
     */
    public static String write(Map<String, ?> values) {
        try {
            return MAPPER.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @return {@code text} cut to 100 characters, for messages */
    public static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "... (" + text.length() + " chars)";
    }
}
