package io.prorch.jdbc.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prorch.repository.JsonValues;
import io.prorch.repository.RecordRejectedException;
import io.prorch.repository.RepositoryException;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metadata and step lists to and from JSON text, with a size limit. Doubles are written in plain decimal notation
 * with a fractional part ({@code 1.0E300} as {@code 1000…0.0}), because PostgreSQL's jsonb keeps a number's scale
 * but not its notation: an exponent form would come back as an integer.
 *
 * <p>Writing goes straight to Jackson's streaming generator: the values are canonical (see {@code JsonValues}), a
 * closed set of JSON types, so the object mapper's serializer lookup would only add work on every transition.
 */
public final class JsonCodec {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };

    private final ObjectMapper mapper;
    private final JsonFactory factory;
    private final int maxBytes;
    /** The step lists read, by their text: the pipelines of one definition share one list, parsed once. */
    private final Map<String, List<String>> stepLists = new ConcurrentHashMap<>();
    private static final int MAX_STEP_LISTS = 1024;

    /**
     * @param base the user's mapper (copied); its factory's generator settings apply when writing
     * @param maxBytes the largest metadata accepted, in UTF-8 bytes of its JSON
     */
    public JsonCodec(ObjectMapper base, int maxBytes) {
        this.mapper = base.copy();
        this.factory = mapper.getFactory();
        this.maxBytes = maxBytes;
    }

    /**
     * @return {@code metadata} as JSON
     * @throws RecordRejectedException if it is larger than the limit, or cannot be written as JSON; {@code owner}
     *     names the record
     */
    public String metadata(Map<String, Object> metadata, String owner) {
        String json = write(metadata, owner);
        // a char is at most 3 UTF-8 bytes: only count bytes when the text might be over the limit
        if (json.length() > maxBytes / 3 && json.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new RecordRejectedException("Metadata of " + owner + " is " + json.getBytes(StandardCharsets.UTF_8)
                    .length + " bytes as JSON, over the limit of " + maxBytes
                    + " bytes; keep large data elsewhere and store a reference, or raise"
                    + " JdbcRepository.builder().maxMetadataBytes(..)");
        }
        return json;
    }

    /**
     * @return {@code names} as a JSON array
     * @throws RecordRejectedException if they cannot be written as JSON
     */
    public String stepNames(List<String> names, String owner) {
        return write(names, owner);
    }

    /**
     * @return the map stored as {@code json}
     * @throws RepositoryException if the stored text is not a JSON object (someone edited the row by hand)
     */
    public Map<String, Object> readMetadata(String json, String owner) {
        if ("{}".equals(json)) {
            return JsonValues.emptyMap(); // most steps' metadata: no parser needed
        }
        try {
            Map<String, Object> map = mapper.readValue(json, MAP);
            if (map == null) {
                throw new RepositoryException("Metadata of " + owner
                        + " is JSON null; expected an object; fix the stored row");
            }
            return map;
        } catch (IOException e) {
            throw new RepositoryException("Metadata of " + owner + " is not a JSON object; fix the stored row ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * @return the step names stored as {@code json}
     * @throws RepositoryException if the stored text is not a JSON array of strings
     */
    public List<String> readStepNames(String json, String owner) {
        List<String> names = json == null ? null : stepLists.get(json);
        if (names != null) {
            return names;
        }
        try {
            names = List.copyOf(mapper.readValue(json, LIST));
        } catch (IOException e) {
            throw new RepositoryException("Step names of " + owner + " are not a JSON array of strings; fix the stored"
                    + " row (" + e.getMessage() + ")", e);
        }
        if (json == null) {
            return names;
        }
        if (stepLists.size() >= MAX_STEP_LISTS) {
            stepLists.clear(); // more distinct lists than pipeline definitions: keep the newest
        }
        stepLists.put(json, names);
        return names;
    }

    private String write(Object value, String owner) {
        StringWriter text = new StringWriter(64);
        try (JsonGenerator generator = factory.createGenerator(text)) {
            writeValue(generator, value);
        } catch (IOException | RuntimeException e) {
            throw new RecordRejectedException("Cannot write the metadata of " + owner + " as JSON: " + e.getMessage(),
                    e);
        }
        return text.toString();
    }

    private void writeValue(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Long number) {
            generator.writeNumber(number);
        } else if (value instanceof Boolean flag) {
            generator.writeBoolean(flag);
        } else if (value instanceof Double number) {
            String plain = new BigDecimal(number.toString()).toPlainString();
            generator.writeNumber(plain.indexOf('.') < 0 ? plain + ".0" : plain);
        } else if (value instanceof BigInteger number) {
            generator.writeNumber(number);
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                generator.writeFieldName((String) entry.getKey());
                writeValue(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object element : list) {
                writeValue(generator, element);
            }
            generator.writeEndArray();
        } else {
            // records only hold canonical values; anything else is a bug upstream, refused with its type
            throw new IllegalArgumentException("a " + value.getClass().getName() + " is not a JSON value");
        }
    }
}
