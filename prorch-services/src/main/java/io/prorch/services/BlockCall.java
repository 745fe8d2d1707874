package io.prorch.services;

import io.prorch.OnStart;
import io.prorch.StepContext;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * The hook of one block in one flow: POSTs an {@link Envelope} whose id is the step's idempotency key, and folds the
 * answer envelope's data into the run's data. Connection errors, timeouts, 429 and 5xx throw (retried); an answer
 * carrying an error, or any other status, fails the step.
 */
final class BlockCall implements OnStart {
    private final String flow;
    private final Block block;
    private final CallSettings settings;

    /** @param flow the flow's name, sent in every envelope */
    public BlockCall(String flow, Block block, CallSettings settings) {
        this.flow = flow;
        this.block = block;
        this.settings = settings;
    }

    @Override
    public void onStart(StepContext ctx) throws IOException, InterruptedException {
        Map<String, Object> data = ctx.pipelineMetadata().getMap(ServiceCall.DATA);
        Envelope sent = new Envelope(ctx.idempotencyKey(), flow, ctx.stepName(), block.request().apply(data), null,
                ctx.now(), null);
        HttpRequest.Builder request = HttpRequest.newBuilder(block.address())
                .header("Content-Type", "application/json")
                .header(CallSettings.IDEMPOTENCY_HEADER, ctx.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofString(sent.toJson()));
        HttpResponse<String> response;
        try {
            response = settings.send(request);
        } catch (IOException e) {
            throw new ServiceUnavailableException("block \"" + block.name() + "\" at " + block.address()
                    + " could not be reached (" + e + "); retried with backoff", e);
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw new ServiceUnavailableException("block \"" + block.name() + "\" answered " + status + ": "
                    + clip(response.body()) + "; retried with backoff", null);
        }
        Envelope answer;
        try {
            answer = Envelope.fromJson(response.body());
        } catch (IllegalArgumentException e) {
            ctx.fail("block \"" + block.name() + "\" answered " + status + " without an envelope: "
                    + clip(response.body()));
            return;
        }
        if (answer.error() != null || status >= 300) {
            ctx.fail("block \"" + block.name() + "\" answered " + status + ": " + (answer.error() != null
                    ? answer.error() : clip(response.body())));
            return;
        }
        ctx.pipelineMetadata().put(ServiceCall.DATA, block.response().apply(data, answer.data()));
        ctx.finish();
    }

    private static String clip(String text) {
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }
}
