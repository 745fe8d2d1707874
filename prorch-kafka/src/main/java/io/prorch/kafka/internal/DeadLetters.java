package io.prorch.kafka.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts messages that can never be handled on a dead-letter topic, with the reason in a header, so that everything
 * behind them keeps flowing. Without a topic, they are logged and dropped.
 */
public final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    /** The header holding why a message was dead-lettered. */
    public static final String REASON = "prorch-dead-letter-reason";
    /** The header holding the topic a dead letter was read from. */
    public static final String ORIGINAL_TOPIC = "prorch-original-topic";
    /** The header holding the partition a dead letter was read from. */
    public static final String ORIGINAL_PARTITION = "prorch-original-partition";
    /** The header holding the offset a dead letter was read at. */
    public static final String ORIGINAL_OFFSET = "prorch-original-offset";
    /** The longest reason written, in characters. */
    static final int MAX_REASON = 1000;

    private final Producer<String, String> producer;
    private final String topic;
    private final Duration sendTimeout;

    /** @param topic the dead-letter topic, or null to log and drop */
    public DeadLetters(Producer<String, String> producer, String topic, Duration sendTimeout) {
        this.producer = producer;
        this.topic = topic;
        this.sendTimeout = sendTimeout;
    }

    /**
     * Sends {@code record} to the dead-letter topic and waits for the broker's acknowledgement.
     *
     * @throws Exception if the broker did not take it within the send timeout: the caller tries again later
     */
    public void send(ConsumerRecord<String, String> record, String reason) throws Exception {
        String cut = reason == null ? "unknown" : reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON)
                : reason;
        if (topic == null) {
            LOG.warn("prorch: dropped {}-{}@{} (no dead-letter topic set): {}", record.topic(), record.partition(),
                    record.offset(), cut);
            return;
        }
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(REASON, bytes(cut));
        headers.add(ORIGINAL_TOPIC, bytes(record.topic()));
        headers.add(ORIGINAL_PARTITION, bytes(Integer.toString(record.partition())));
        headers.add(ORIGINAL_OFFSET, bytes(Long.toString(record.offset())));
        try {
            producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers))
                    .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("the dead-letter topic " + topic + " did not take a message within "
                    + sendTimeout);
        }
        LOG.warn("prorch: put {}-{}@{} on the dead-letter topic {}: {}", record.topic(), record.partition(),
                record.offset(), topic, cut);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
