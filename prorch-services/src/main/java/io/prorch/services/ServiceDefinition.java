package io.prorch.services;

import java.util.List;

/**
 * A service as machinery declares it: where to POST its inputs and what its answer holds.
 *
 * <pre>{@code
 * {"name": "upper", "address": "http://127.0.0.1:5000/",
 *  "inputs":  [{"name": "message", "type": "string", "description": "The text to transform"}],
 *  "outputs": [{"name": "message", "type": "string", "description": "The text, in upper case"}]}
 * }</pre>
 *
 * <p>Checked when registered ({@link Services#registerService}), with every problem in one
 * {@link DefinitionException}.
 *
 * @param name unique among services
 * @param address the absolute {@code http} or {@code https} URL the inputs are POSTed to
 * @param inputs what the service reads from the JSON object it is sent
 * @param outputs what its JSON answer must hold
 */
public record ServiceDefinition(String name, String address, List<Field> inputs, List<Field> outputs) {
    /** Copies the lists; null lists become empty (reported by validation only where a field is null). */
    public ServiceDefinition {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /**
     * Reads machinery's JSON form.
     *
     * @param json one JSON object; unknown keys are ignored (machinery's files may carry more)
     * @return the definition, not yet validated against the other definitions
     * @throws NullPointerException if {@code json} is null
     * @throws DefinitionException listing every problem of the document: malformed JSON, a missing or mistyped key
     */
    public static ServiceDefinition fromJson(String json) {
        return Json.service(json);
    }

    /** @return machinery's JSON form of this definition */
    public String toJson() {
        return Json.write(Json.serviceMap(this));
    }
}
