package io.prorch.services;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Machinery's JSON forms, read strictly: every problem of a document is collected. */
final class Json {
    /** The most characters a definition or request body may have. */
    public static final int MAX_DOCUMENT_CHARS = 1 << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /**
     * @return the JSON object in {@code json}, its numbers as Long, Double or BigInteger
     * @throws IllegalArgumentException if it is not one JSON object (the message says where it broke)
     */
    public static Map<String, Object> object(String json, String what) {
        requireNonNull(json, what);
        if (json.length() > MAX_DOCUMENT_CHARS) {
            throw new IllegalArgumentException(what + " has " + json.length() + " characters, over the limit of "
                    + MAX_DOCUMENT_CHARS);
        }
        try {
            Object value = MAPPER.readValue(json, Object.class);
            if (!(value instanceof Map)) {
                throw new IllegalArgumentException(what + " must be a JSON object, but was "
                        + (value == null ? "null" : value instanceof List ? "an array" : "a " + value.getClass()
                        .getSimpleName()));
            }
            // a JSON object reads as a Map with String keys: no second pass through convertValue
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) value;
            return object;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
    }

    /** @return {@code path} without its trailing slashes (and, if {@code leading}, its leading ones) */
    public static String trimSlashes(String path, boolean leading) {
        int from = 0;
        int to = path.length();
        while (leading && from < to && path.charAt(from) == '/') {
            from++;
        }
        while (to > from && path.charAt(to - 1) == '/') {
            to--;
        }
        return path.substring(from, to);
    }

    /** @return {@code value} as compact JSON */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @see ServiceDefinition#fromJson(String) */
    public static ServiceDefinition service(String json) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> map = parsed(json, "service definition", problems);
        String where = "service " + (map.get("name") instanceof String s ? "\"" + s + "\"" : "definition");
        String name = string(map, "name", where, problems);
        String address = string(map, "address", where, problems);
        List<Field> inputs = fields(map, "inputs", where, problems);
        List<Field> outputs = fields(map, "outputs", where, problems);
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        return new ServiceDefinition(name, address, inputs, outputs);
    }

    /** @see WorkflowDefinition#fromJson(String) */
    public static WorkflowDefinition workflow(String json) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> map = parsed(json, "workflow definition", problems);
        String where = "workflow " + (map.get("name") instanceof String s ? "\"" + s + "\"" : "definition");
        String name = string(map, "name", where, problems);
        List<String> services = new ArrayList<>();
        if (!(map.get("services") instanceof List<?> list)) {
            problems.add(where + ": \"services\" must be an array of service names, but was "
                    + describe(map.get("services")));
        } else {
            for (Object service : list) {
                if (service instanceof String s) {
                    services.add(s);
                } else {
                    problems.add(where + ": \"services\" holds " + describe(service) + "; list service names");
                }
            }
        }
        List<Field> inputs = fields(map, "inputs", where, problems);
        List<Field> outputs = fields(map, "outputs", where, problems);
        Object operations = map.getOrDefault("operations", List.of());
        if (!(operations instanceof List)) {
            problems.add(where + ": \"operations\" must be an array, but was " + describe(operations));
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        List<Object> ops = new ArrayList<>((List<?>) operations);
        ops.replaceAll(o -> o == null ? Map.of() : o);
        return new WorkflowDefinition(name, services, inputs, outputs, ops);
    }

    /** @return machinery's JSON form of {@code service}, as a map */
    public static Map<String, Object> serviceMap(ServiceDefinition service) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", service.name());
        map.put("address", service.address());
        map.put("inputs", fieldMaps(service.inputs()));
        map.put("outputs", fieldMaps(service.outputs()));
        return map;
    }

    /** @return machinery's JSON form of {@code workflow}, as a map */
    public static Map<String, Object> workflowMap(WorkflowDefinition workflow) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", workflow.name());
        map.put("services", workflow.services());
        map.put("inputs", fieldMaps(workflow.inputs()));
        map.put("outputs", fieldMaps(workflow.outputs()));
        map.put("operations", workflow.operations());
        return map;
    }

    private static List<Map<String, Object>> fieldMaps(List<Field> fields) {
        return fields.stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("type", f.type());
            if (f.description() != null) {
                m.put("description", f.description());
            }
            return m;
        }).toList();
    }

    private static Map<String, Object> parsed(String json, String what, List<String> problems) {
        try {
            return object(json, what);
        } catch (IllegalArgumentException e) {
            throw new DefinitionException(List.of(e.getMessage()));
        }
    }

    private static String string(Map<String, Object> map, String key, String where, List<String> problems) {
        if (map.get(key) instanceof String s) {
            return s;
        }
        problems.add(where + ": \"" + key + "\" must be a string, but was " + describe(map.get(key)));
        return null;
    }

    private static List<Field> fields(Map<String, Object> map, String key, String where, List<String> problems) {
        if (!map.containsKey(key)) {
            problems.add(where + ": \"" + key + "\" is missing; give an array of {\"name\", \"type\"} (may be empty)");
            return List.of();
        }
        if (!(map.get(key) instanceof List<?> list)) {
            problems.add(where + ": \"" + key + "\" must be an array, but was " + describe(map.get(key)));
            return List.of();
        }
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Map<?, ?> field && field.get("name") instanceof String name
                    && field.get("type") instanceof String type
                    && (field.get("description") == null || field.get("description") instanceof String)) {
                fields.add(new Field(name, type, (String) field.get("description")));
            } else {
                problems.add(where + ": " + key + "[" + i + "] must be {\"name\": string, \"type\": string,"
                        + " \"description\": string (optional)}, but was " + describe(list.get(i)));
            }
        }
        return fields;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "missing or null";
        }
        String text = write(value);
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
