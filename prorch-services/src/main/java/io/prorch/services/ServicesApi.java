package io.prorch.services;

import static java.util.Objects.requireNonNull;

import io.prorch.PipelineEndedException;
import io.prorch.PipelineNotFoundException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * machinery's HTTP API as one plain function from request to response, so any server can mount it
 * ({@link ServicesServer} is one):
 *
 * <ul>
 *   <li>{@code POST /services}, {@code POST /workflows}: register a definition (machinery's JSON); {@code 201} with
 *       {@code id} and {@code ack}, or {@code 400} with every problem. Behind the {@link Authorizer}: {@code 403}
 *       otherwise.</li>
 *   <li>{@code POST /e/{workflow}} with {@code {"data": {...}}}: {@code 202} with {@code event-id}, {@code ack} and
 *       {@code status} once the start is saved; {@code 400} with every field error; {@code 404} for an unknown
 *       workflow. An {@code Idempotency-Key} header makes a retried POST answer the first event.</li>
 *   <li>{@code GET /e/{event-id}}: {@code 200} with {@code status}, and {@code outputs} or {@code error}.</li>
 *   <li>{@code POST /callbacks/{event-id}/{step}}: the answer of a service that said {@code 202}; {@code 202}, or
 *       {@code 404}/{@code 409} if the event is unknown or ended.</li>
 * </ul>
 *
 * <p>Every answer is a JSON object; errors carry {@code error} and, where several, {@code problems}. Thread-safe.
 *
 * <p>Mounted on a JDK {@code HttpServer} of your own, turn Nagle's algorithm off as {@link ServicesServer} does
 * ({@value ServicesServer#NODELAY_PROPERTY}{@code =true}): before JDK 23 every answer otherwise waits up to 40 ms for
 * the client's delayed ACK.
 */
public final class ServicesApi {
    private final Services services;
    private final Authorizer authorizer;

    /**
     * @param services the registry events are started through (bound to an orchestrator)
     * @param authorizer guards the management endpoints; {@link Authorizer#denyAll()} unless you configure one
     * @throws NullPointerException if an argument is null
     */
    public ServicesApi(Services services, Authorizer authorizer) {
        this.services = requireNonNull(services, "services");
        this.authorizer = requireNonNull(authorizer, "authorizer");
    }

    /**
     * Answers one request. Never throws for bad input: malformed JSON, unknown paths and methods, bad ids all answer
     * 4xx with a message; a failure of the store answers {@code 503}.
     *
     * @throws NullPointerException if {@code request} is null
     */
    public ApiResponse handle(ApiRequest request) {
        requireNonNull(request, "request");
        String[] parts = Json.trimSlashes(request.path(), false).split("/", -1);
        String method = request.method();
        try {
            if (parts.length == 2 && (parts[1].equals("services") || parts[1].equals("workflows"))) {
                return method.equals("POST") ? register(request, parts[1]) : notAllowed("POST");
            }
            if (parts.length == 3 && parts[1].equals("e")) {
                String target = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
                return switch (method) {
                    case "POST" -> submit(request, target);
                    case "GET" -> event(target);
                    default -> notAllowed("GET, POST");
                };
            }
            if (parts.length == 4 && parts[1].equals("callbacks")) {
                return method.equals("POST") ? callback(request, parts[2],
                        URLDecoder.decode(parts[3], StandardCharsets.UTF_8)) : notAllowed("POST");
            }
            return error(404, "no endpoint " + method + " " + request.path() + "; see POST /services, POST /workflows,"
                    + " POST /e/{workflow}, GET /e/{event-id}");
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        } catch (io.prorch.repository.RepositoryException e) {
            return error(503, "the store failed, retry later: " + e.getMessage());
        }
    }

    private ApiResponse register(ApiRequest request, String what) {
        if (!authorizer.allows(request)) {
            return error(403, "forbidden: POST /" + what + " needs an authorized request");
        }
        try {
            Registration done = what.equals("services")
                    ? services.registerService(ServiceDefinition.fromJson(request.body()))
                    : services.registerWorkflow(WorkflowDefinition.fromJson(request.body()));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", done.id());
            if (what.equals("workflows")) {
                body.put("version", done.version());
            }
            body.put("ack", done.ackAt().toString());
            return new ApiResponse(201, Json.write(body));
        } catch (DefinitionException e) {
            return problems(400, "invalid definition", e.problems());
        }
    }

    private ApiResponse submit(ApiRequest request, String workflow) {
        Map<String, Object> body = Json.object(request.body(), "the event");
        if (!(body.get("data") instanceof Map<?, ?> data)) {
            return problems(400, "invalid event", List.of("data: must be an object holding the workflow's inputs,"
                    + " as in {\"data\": {\"message\": \"...\"}}"));
        }
        if (!services.hasWorkflow(workflow)) {
            return error(404, "no workflow named \"" + workflow + "\"; registered: "
                    + services.workflows().keySet().stream().sorted().toList());
        }
        try {
            @SuppressWarnings("unchecked")
            Event event = services.submit(workflow, (Map<String, Object>) data,
                    request.header("Idempotency-Key").orElse(null));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("event-id", event.id().toString());
            answer.put("ack", event.ackAt().toString());
            answer.put("status", event.status().value());
            return new ApiResponse(202, Json.write(answer));
        } catch (EventDataException e) {
            return problems(400, "data does not match the inputs of workflow \"" + workflow + "\"", e.fieldErrors());
        }
    }

    private ApiResponse event(String id) {
        Optional<Event> event = services.event(uuid(id));
        if (event.isEmpty()) {
            return error(404, "no event " + id);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("event-id", id);
        answer.put("workflow", event.get().workflow());
        answer.put("status", event.get().status().value());
        if (event.get().status() == io.prorch.Status.FINISHED) {
            answer.put("outputs", event.get().outputs());
        }
        if (event.get().error() != null) {
            answer.put("error", event.get().error());
        }
        return new ApiResponse(200, Json.write(answer));
    }

    private ApiResponse callback(ApiRequest request, String id, String step) {
        Map<String, Object> outputs = Json.object(request.body(), "the callback");
        try {
            UUID signal = services.deliverCallback(uuid(id), step, outputs);
            return new ApiResponse(202, Json.write(Map.of("signal-id", signal.toString())));
        } catch (PipelineNotFoundException e) {
            return error(404, e.getMessage());
        } catch (PipelineEndedException e) {
            return error(409, e.getMessage());
        }
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + (id.length() > 60 ? id.substring(0, 60) + "..." : id)
                    + "\" is not an event id (a UUID)");
        }
    }

    private static ApiResponse notAllowed(String allowed) {
        return error(405, "method not allowed here; use " + allowed);
    }

    private static ApiResponse error(int status, String message) {
        return new ApiResponse(status, Json.write(Map.of("error", message)));
    }

    private static ApiResponse problems(int status, String message, List<String> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("problems", problems);
        return new ApiResponse(status, Json.write(body));
    }
}
