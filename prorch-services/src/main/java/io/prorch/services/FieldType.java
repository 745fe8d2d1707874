package io.prorch.services;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The types a service or workflow field may declare, by their JSON names ({@code "string"}, {@code "int"}, ...). */
public enum FieldType {
    /** A JSON string. */
    STRING("string"),
    /** A JSON number without fraction that fits a {@code long}. */
    INT("int"),
    /** Any JSON number. */
    FLOAT("float"),
    /** {@code true} or {@code false}. */
    BOOL("bool"),
    /** A JSON object. */
    OBJECT("object"),
    /** A JSON array. */
    LIST("list");

    private final String jsonName;

    FieldType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** @return the name definitions use for this type */
    public String jsonName() {
        return jsonName;
    }

    /** @return the type named {@code name} in a definition, or empty if there is none (null included) */
    public static Optional<FieldType> of(String name) {
        return Arrays.stream(values()).filter(t -> t.jsonName.equals(name)).findFirst();
    }

    /** @return the JSON names of every type, for messages */
    public static List<String> names() {
        return Arrays.stream(values()).map(FieldType::jsonName).toList();
    }

    /**
     * @param value a value as Jackson or prorch's metadata hold JSON (String, Number, Boolean, Map, List)
     * @return whether {@code value} is of this type; null never is
     */
    public boolean accepts(Object value) {
        return switch (this) {
            case STRING -> value instanceof String;
            case INT -> value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof java.math.BigInteger big && big.bitLength() < 64;
            case FLOAT -> value instanceof Number;
            case BOOL -> value instanceof Boolean;
            case OBJECT -> value instanceof Map;
            case LIST -> value instanceof List;
        };
    }
}
