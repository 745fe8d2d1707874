package io.prorch.services;

import java.util.List;

/**
 * A workflow as machinery declares it: services called in order, each reading the workflow's inputs and the outputs
 * of the services before it, and the outputs the workflow answers with.
 *
 * <pre>{@code
 * {"name": "process-text", "services": ["upper", "reverse", "space-counter"],
 *  "inputs":  [{"name": "message", "type": "string"}],
 *  "outputs": [{"name": "message", "type": "string"}, {"name": "space_count", "type": "int"}],
 *  "operations": []}
 * }</pre>
 *
 * <p>A service's input is taken from the latest source of that name: the outputs of the closest earlier service that
 * has one, else the workflow's input. A workflow output likewise. Registered workflows become pipelines of the same
 * name whose steps are named after the services ({@code "upper"}; a service called twice: {@code "upper#2"}).
 *
 * @param name unique among workflows; the pipeline's name
 * @param services the names of registered services, in calling order; at least one
 * @param inputs what an event's data must hold
 * @param outputs what a finished event answers with
 * @param operations kept as given; machinery leaves their meaning open and prorch does not use them
 */
public record WorkflowDefinition(String name, List<String> services, List<Field> inputs, List<Field> outputs,
                                 List<Object> operations) {
    /** Copies the lists; null lists become empty. */
    public WorkflowDefinition {
        services = services == null ? List.of() : List.copyOf(services);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        operations = operations == null ? List.of() : List.copyOf(operations);
    }

    /**
     * Reads machinery's JSON form.
     *
     * @param json one JSON object; unknown keys are ignored
     * @return the definition, not yet validated against the registered services
     * @throws NullPointerException if {@code json} is null
     * @throws DefinitionException listing every problem of the document: malformed JSON, a missing or mistyped key
     */
    public static WorkflowDefinition fromJson(String json) {
        return Json.workflow(json);
    }

    /** @return machinery's JSON form of this definition */
    public String toJson() {
        return Json.write(Json.workflowMap(this));
    }
}
