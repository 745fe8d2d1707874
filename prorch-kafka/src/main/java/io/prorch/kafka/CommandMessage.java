package io.prorch.kafka;

import static java.util.Objects.requireNonNull;

import io.prorch.kafka.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A command as a service reads it, and the reply it sends back: for services written in Java. A service in another
 * language reads the same {@link KafkaHeaders} and copies the first three onto its reply.
 *
 * <pre>{@code
 * CommandMessage command = CommandMessage.of(record);
 * if (seen.add(command.idempotencyKey())) {      // at least once: drop what was done already
 *     act(command.payload());
 * }
 * if (command.expectsReply()) {
 *     producer.send(command.reply(Map.of("status", "done")));
 * }
 * }</pre>
 *
 * @param pipelineId the pipeline that sent it
 * @param step the step that sent it
 * @param idempotencyKey the same on every send of this command
 * @param replyTopic where the reply goes, or null for a one-way command
 * @param payload the command's JSON object
 */
public record CommandMessage(UUID pipelineId, String step, String idempotencyKey, String replyTopic,
                             Map<String, Object> payload) {
    /**
     * @throws NullPointerException if a field other than {@code replyTopic} is null
     */
    public CommandMessage {
        requireNonNull(pipelineId, "pipelineId");
        requireNonNull(step, "step");
        requireNonNull(idempotencyKey, "idempotencyKey");
        payload = Map.copyOf(requireNonNull(payload, "payload"));
    }

    /**
     * @return the command {@code record} holds
     * @throws NullPointerException if {@code record} is null
     * @throws IllegalArgumentException naming what is missing or malformed if it is not a prorch command
     */
    public static CommandMessage of(ConsumerRecord<String, String> record) {
        KafkaMessage message = KafkaMessage.of(record);
        String id = required(message, KafkaHeaders.PIPELINE_ID);
        UUID pipelineId;
        try {
            pipelineId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the command's " + KafkaHeaders.PIPELINE_ID + " \"" + id
                    + "\" is not a UUID", e);
        }
        return new CommandMessage(pipelineId, required(message, KafkaHeaders.STEP),
                required(message, KafkaHeaders.IDEMPOTENCY_KEY), message.headers().get(KafkaHeaders.REPLY_TOPIC),
                message.json());
    }

    /** @return true if the step waits for a reply */
    public boolean expectsReply() {
        return replyTopic != null;
    }

    /**
     * @param payload the reply's JSON object
     * @return the reply to send: to the reply topic, keyed by the pipeline id, with the command's headers
     * @throws NullPointerException if {@code payload} is null
     * @throws IllegalStateException if the command is one-way
     * @throws IllegalArgumentException if a value cannot be written as JSON
     */
    public ProducerRecord<String, String> reply(Map<String, ?> payload) {
        requireNonNull(payload, "payload");
        if (replyTopic == null) {
            throw new IllegalStateException("the command of step \"" + step + "\" is one-way: it expects no reply");
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.PIPELINE_ID, pipelineId.toString().getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaHeaders.STEP, step.getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaHeaders.IDEMPOTENCY_KEY, idempotencyKey.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(replyTopic, null, pipelineId.toString(), Json.write(payload), headers);
    }

    private static String required(KafkaMessage message, String header) {
        String value = message.headers().get(header);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("not a prorch command: the header " + header + " is missing ("
                    + message.coordinates() + ")");
        }
        return value;
    }
}
