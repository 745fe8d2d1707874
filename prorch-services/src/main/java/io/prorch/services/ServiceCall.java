package io.prorch.services;

import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Signal;
import io.prorch.StepContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hooks of one workflow step: {@code onStart} POSTs the service's inputs, taken from the run's data, and merges
 * its typed outputs back; a {@code 202} makes the step wait for the callback signal. Connection errors, timeouts,
 * {@code 429} and {@code 5xx} throw, so the step's retry policy retries them with backoff; any other status fails the
 * step with the status and the body. Shared by every run: holds no state of its own.
 */
final class ServiceCall implements OnStart, OnContinue {
    /** The pipeline metadata key of the run's data: the event's inputs, then every output so far. */
    public static final String DATA = "data";
    /** The pipeline metadata key of the workflow's outputs, set by the last step. */
    public static final String OUTPUTS = "outputs";
    private static final int MAX_BODY_IN_ERROR = 500;

    private final ServiceDefinition service;
    private final URI address;
    private final List<Field> workflowOutputs;
    private final CallSettings settings;

    /**
     * @param workflowOutputs the workflow's outputs if this is its last step, else null
     */
    public ServiceCall(ServiceDefinition service, List<Field> workflowOutputs, CallSettings settings) {
        this.service = service;
        this.address = URI.create(service.address());
        this.workflowOutputs = workflowOutputs;
        this.settings = settings;
    }

    @Override
    public void onStart(StepContext ctx) throws IOException, InterruptedException {
        Map<String, Object> data = ctx.pipelineMetadata().getMap(DATA);
        Map<String, Object> inputs = new LinkedHashMap<>();
        service.inputs().forEach(f -> inputs.put(f.name(), data.get(f.name())));
        HttpRequest.Builder request = HttpRequest.newBuilder(address)
                .header("Content-Type", "application/json")
                .header(CallSettings.IDEMPOTENCY_HEADER, ctx.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(inputs)));
        if (settings.callbackBase() != null) {
            request.header(CallSettings.CALLBACK_HEADER, callbackUrl(ctx));
        }
        HttpResponse<String> response;
        try {
            response = settings.send(request);
        } catch (IOException e) {
            throw new ServiceUnavailableException("service \"" + service.name() + "\" at " + service.address()
                    + " could not be reached (" + e + "); retried with backoff", e);
        }
        int status = response.statusCode();
        if (status == 202 && settings.callbackBase() != null) {
            ctx.awaitSignal(CallSettings.signalName(ctx.stepName()), settings.callbackDeadline());
        } else if (status >= 200 && status < 300) {
            accept(ctx, data, parse(response.body(), "answer (" + status + ")"));
        } else if (status == 429 || status >= 500) {
            throw new ServiceUnavailableException("service \"" + service.name() + "\" answered " + status + ": "
                    + clip(response.body()) + "; retried with backoff", null);
        } else {
            ctx.fail("service \"" + service.name() + "\" answered " + status + ": " + clip(response.body()));
        }
    }

    @Override
    public void onContinue(StepContext ctx) {
        String name = CallSettings.signalName(ctx.stepName());
        Optional<Signal> callback = ctx.signal(name);
        if (callback.isPresent()) {
            Map<String, Object> payload = callback.get().payload();
            if (payload.get("error") != null && service.outputs().stream().noneMatch(f -> f.name().equals("error"))) {
                ctx.fail("service \"" + service.name() + "\" called back with an error: "
                        + clip(Json.write(payload.get("error"))));
                return;
            }
            accept(ctx, ctx.pipelineMetadata().getMap(DATA), payload);
        } else if (ctx.signalTimedOut(name)) {
            ctx.fail("service \"" + service.name() + "\" accepted the call (202) but did not call back within "
                    + settings.callbackDeadline());
        }
    }

    private void accept(StepContext ctx, Map<String, Object> data, Map<String, Object> answer) {
        if (answer == null) {
            return;
        }
        List<String> errors = new ArrayList<>();
        Map<String, Object> merged = new LinkedHashMap<>(data);
        for (Field output : service.outputs()) {
            Object value = answer.get(output.name());
            if (value == null) {
                errors.add("\"" + output.name() + "\" is missing");
            } else if (!FieldType.of(output.type()).orElseThrow().accepts(value)) {
                errors.add("\"" + output.name() + "\" must be a " + output.type() + ", but was " + clip(Json.write(value)));
            } else {
                merged.put(output.name(), value);
            }
        }
        if (!errors.isEmpty()) {
            ctx.fail("service \"" + service.name() + "\" answered without its declared outputs: "
                    + String.join("; ", errors) + " (answer: " + clip(Json.write(answer)) + ")");
            return;
        }
        ctx.pipelineMetadata().put(DATA, merged);
        if (workflowOutputs != null) {
            Map<String, Object> outputs = new LinkedHashMap<>();
            workflowOutputs.forEach(f -> outputs.put(f.name(), merged.get(f.name())));
            ctx.pipelineMetadata().put(OUTPUTS, outputs);
        }
        ctx.finish();
    }

    /** @return the answer as an object, or null after failing the step if it is not one */
    private Map<String, Object> parse(String body, String what) {
        try {
            return Json.object(body, "service \"" + service.name() + "\" " + what);
        } catch (IllegalArgumentException e) {
            throw new ServiceUnavailableException(e.getMessage() + "; retried with backoff", null);
        }
    }

    private String callbackUrl(StepContext ctx) {
        String base = settings.callbackBase().toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/callbacks/" + ctx.pipelineId()
                + "/" + URLEncoder.encode(ctx.stepName(), StandardCharsets.UTF_8);
    }

    private static String clip(String text) {
        return text.length() > MAX_BODY_IN_ERROR ? text.substring(0, MAX_BODY_IN_ERROR) + "..." : text;
    }
}
