package io.prorch.jdbc.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.prorch.repository.RepositoryException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Metadata and step lists to and from JSON text, with a size limit. Doubles are written in plain decimal notation
 * with a fractional part ({@code 1.0E300} as {@code 1000…0.0}), because PostgreSQL's jsonb keeps a number's scale
 * but not its notation: an exponent form would come back as an integer.
 */
public final class JsonCodec {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };

    private final ObjectMapper mapper;
    private final int maxBytes;

    /**
     * @param base the user's mapper (copied, then taught to write doubles plainly)
     * @param maxBytes the largest metadata accepted, in UTF-8 bytes of its JSON
     */
    public JsonCodec(ObjectMapper base, int maxBytes) {
        this.mapper = base.copy().registerModule(new SimpleModule("prorch-doubles")
                .addSerializer(Double.class, new PlainDoubleSerializer()));
        this.maxBytes = maxBytes;
    }

    /**
     * @return {@code metadata} as JSON
     * @throws IllegalArgumentException if it is larger than the limit; {@code owner} names the record
     */
    public String metadata(Map<String, Object> metadata, String owner) {
        String json = write(metadata, owner);
        // a char is at most 3 UTF-8 bytes: only count bytes when the text might be over the limit
        if (json.length() > maxBytes / 3 && json.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new IllegalArgumentException("Metadata of " + owner + " is " + json.getBytes(StandardCharsets.UTF_8)
                    .length + " bytes as JSON, over the limit of " + maxBytes
                    + " bytes; keep large data elsewhere and store a reference, or raise"
                    + " JdbcRepository.builder().maxMetadataBytes(..)");
        }
        return json;
    }

    /** @return {@code names} as a JSON array */
    public String stepNames(List<String> names, String owner) {
        return write(names, owner);
    }

    /**
     * @return the map stored as {@code json}
     * @throws RepositoryException if the stored text is not a JSON object (someone edited the row by hand)
     */
    public Map<String, Object> readMetadata(String json, String owner) {
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
        try {
            return mapper.readValue(json, LIST);
        } catch (IOException e) {
            throw new RepositoryException("Step names of " + owner + " are not a JSON array of strings; fix the stored"
                    + " row (" + e.getMessage() + ")", e);
        }
    }

    private String write(Object value, String owner) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write the metadata of " + owner + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static final class PlainDoubleSerializer extends StdSerializer<Double> {
        PlainDoubleSerializer() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            String plain = new BigDecimal(value.toString()).toPlainString();
            gen.writeNumber(plain.indexOf('.') < 0 ? plain + ".0" : plain);
        }
    }
}
