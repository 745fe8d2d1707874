package io.prorch.services;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * How service calls are made.
 *
 * @param client the shared HTTP client (its connect timeout set)
 * @param readTimeout how long a call may wait for the answer's headers
 * @param callbackBase the base URL services call back under, or null if async answers are not accepted
 * @param callbackDeadline how long a step waits for the callback after a {@code 202}
 */
record CallSettings(HttpClient client, Duration readTimeout, URI callbackBase, Duration callbackDeadline) {
    /** The header naming the callback URL of an async call. */
    public static final String CALLBACK_HEADER = "Prorch-Callback";
    /** The header holding the key that is the same on every attempt of one step of one run. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    /** @return the signal name a callback for {@code stepName} is sent as */
    public static String signalName(String stepName) {
        return "callback." + stepName;
    }
}
