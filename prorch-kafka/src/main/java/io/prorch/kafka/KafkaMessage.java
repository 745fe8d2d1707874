package io.prorch.kafka;

import static java.util.Objects.requireNonNull;

import io.prorch.kafka.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A message as read from a topic: where it was, its key and text value, and its headers as text (the last value of
 * a repeated header wins).
 *
 * @param topic the topic it was read from
 * @param partition its partition
 * @param offset its offset in the partition
 * @param key its key, or null
 * @param value its value, or null (a tombstone)
 * @param headers its headers, decoded as UTF-8; unmodifiable
 */
public record KafkaMessage(String topic, int partition, long offset, String key, String value,
                           Map<String, String> headers) {
    /**
     * @throws NullPointerException if {@code topic} or {@code headers} is null
     */
    public KafkaMessage {
        requireNonNull(topic, "topic");
        headers = Map.copyOf(requireNonNull(headers, "headers"));
    }

    /**
     * @return the message {@code record} holds
     * @throws NullPointerException if {@code record} is null
     */
    public static KafkaMessage of(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : requireNonNull(record, "record").headers()) {
            if (header.value() != null) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return new KafkaMessage(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                headers);
    }

    /**
     * @return the value read as a JSON object; a null or blank value reads as an empty object
     * @throws IllegalArgumentException saying why if the value is not a JSON object
     */
    public Map<String, Object> json() {
        return Json.parseObject(value);
    }

    /** @return {@code topic/partition/offset}: unique for the message, the same when it is read again */
    public String coordinates() {
        return topic + "/" + partition + "/" + offset;
    }

    /**
     * @return the default idempotency key of the pipeline this message starts: {@code topic:key} if the message has
     *     a non-blank key (a producer's retry then starts nothing twice), else {@link #coordinates()}
     */
    public String defaultIdempotencyKey() {
        return key != null && !key.isBlank() ? topic + ":" + key : coordinates();
    }
}
