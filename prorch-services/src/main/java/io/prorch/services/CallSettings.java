package io.prorch.services;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How service calls are made.
 *
 * @param client the shared HTTP client (its connect timeout set)
 * @param readTimeout how long a call may wait for its whole answer
 * @param callbackBase the base URL services call back under, or null if async answers are not accepted
 * @param callbackDeadline how long a step waits for the callback after a {@code 202}
 */
record CallSettings(HttpClient client, Duration readTimeout, URI callbackBase, Duration callbackDeadline) {
    /** The header naming the callback URL of an async call. */
    public static final String CALLBACK_HEADER = "Prorch-Callback";
    /** The header holding the key that is the same on every attempt of one step of one run. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    /**
     * Sends {@code request} and reads its whole answer within {@link #readTimeout()}. The request carries the read
     * timeout too, but the JDK client's own timeout covers only the wait for the answer's headers: a service that sends
     * them and then stalls its body would hold the call until the step's hook timeout.
     *
     * @throws HttpTimeoutException if the whole answer did not arrive in time (the exchange is abandoned)
     * @throws IOException as the JDK client's {@code send} throws it
     */
    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest sent = request.timeout(readTimeout).build();
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(sent, HttpResponse.BodyHandlers.ofString());
        try {
            return answer.get(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no whole answer from " + sent.uri() + " within " + readTimeout
                    + " (its headers or body stalled)");
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    /** @return the signal name a callback for {@code stepName} is sent as */
    public static String signalName(String stepName) {
        return "callback." + stepName;
    }
}
