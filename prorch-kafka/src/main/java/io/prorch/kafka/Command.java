package io.prorch.kafka;

import static java.util.Objects.requireNonNull;

import io.prorch.kafka.internal.Options;
import io.prorch.repository.JsonValues;
import java.time.Duration;
import java.util.Map;

/**
 * What a {@link CommandStep} sends: a JSON object to a topic, and whether (and how long) to wait for a reply.
 *
 * @param topic the service's command topic
 * @param payload the command, JSON-compatible values (see {@code io.prorch.Metadata}); copied
 * @param replyTimeout how long to wait for the reply after the send, or null for a one-way command
 */
public record Command(String topic, Map<String, Object> payload, Duration replyTimeout) {
    /** The longest reply timeout accepted: 30 days. */
    public static final Duration MAX_REPLY_TIMEOUT = Duration.ofDays(30);

    /**
     * @throws NullPointerException if {@code topic} or {@code payload} is null
     * @throws IllegalArgumentException if the topic is blank or too long, a payload value is not JSON-compatible,
     *     or the reply timeout is not between 1 ms and {@link #MAX_REPLY_TIMEOUT}
     */
    public Command {
        Options.text(topic, "topic");
        payload = JsonValues.canonicalMap(requireNonNull(payload, "payload"), "Command payload");
        if (replyTimeout != null) {
            Options.between(replyTimeout, Duration.ofMillis(1), MAX_REPLY_TIMEOUT, "replyTimeout");
        }
    }

    /**
     * @return a command the step sends and then finishes, without waiting for an answer
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as {@link Command#Command}
     */
    public static Command oneWay(String topic, Map<String, ?> payload) {
        return new Command(topic, JsonValues.canonicalMap(requireNonNull(payload, "payload"),
                "Command payload"), null);
    }

    /**
     * @return a command whose step waits for the service's reply for at most {@code replyTimeout} after the send
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException as {@link Command#Command}
     */
    public static Command request(String topic, Map<String, ?> payload, Duration replyTimeout) {
        return new Command(topic, JsonValues.canonicalMap(requireNonNull(payload, "payload"),
                "Command payload"), requireNonNull(replyTimeout, "replyTimeout"));
    }

    /** @return true if the step waits for a reply */
    public boolean expectsReply() {
        return replyTimeout != null;
    }
}
