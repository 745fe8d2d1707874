package io.prorch.services;

/**
 * One input or output of a service or workflow, as machinery's JSON declares it.
 *
 * @param name the field's name in the JSON data
 * @param type its type's JSON name as declared ({@link FieldType}); checked when the definition is registered
 * @param description what it means, for people; may be null
 */
public record Field(String name, String type, String description) {
    /** @return a field with no description */
    public static Field of(String name, FieldType type) {
        return new Field(name, type.jsonName(), null);
    }
}
