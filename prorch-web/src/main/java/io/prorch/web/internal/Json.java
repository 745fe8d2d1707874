package io.prorch.web.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jackson for the JSON API and for pretty metadata; values are maps, lists and JSON scalars only. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    /** @return {@code value} as compact JSON bytes */
    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for the status page: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * @return {@code value} as indented JSON of at most {@code maxChars} characters; longer text is cut and says how
     *     much was left out, so one huge metadata value cannot make a page unusable
     */
    static String pretty(Object value, int maxChars) {
        String text;
        try {
            text = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            text = String.valueOf(value);
        }
        if (text.length() <= maxChars) {
            return text;
        }
        return text.substring(0, maxChars) + "\n… (cut: " + maxChars + " of " + text.length()
                + " characters shown; the JSON API returns all of it)";
    }

    /**
     * Reads a POST body that is a flat JSON object into form fields (scalars only).
     *
     * @throws Problem 400 if it is not a JSON object of scalars
     */
    static Map<String, List<String>> formOf(byte[] body) {
        try {
            Object parsed = MAPPER.readValue(body, Object.class);
            if (!(parsed instanceof Map<?, ?> map)) {
                throw new Problem(400, "The JSON body must be an object such as {\"version\": 3}");
            }
            Map<String, List<String>> form = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() instanceof Map || e.getValue() instanceof List) {
                    throw new Problem(400, "The JSON body's field \"" + e.getKey() + "\" must be a string or a number");
                }
                form.put(String.valueOf(e.getKey()), List.of(String.valueOf(e.getValue())));
            }
            return form;
        } catch (IOException e) {
            throw new Problem(400, "The JSON body is malformed: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
