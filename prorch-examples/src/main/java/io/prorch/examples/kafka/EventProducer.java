package io.prorch.examples.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces events (security detections, unit events) at a steady rate on a thread of its own, keyed by their id,
 * as a sensor would; it knows nothing of the orchestrator.
 */
public final class EventProducer implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final String prefix;
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private Thread thread;
    private volatile boolean stopping;

    /** @param prefix the ids' prefix, e.g. {@code "det-"} */
    public EventProducer(String bootstrap, String topic, String prefix) {
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all",
                "enable.idempotence", true, "delivery.timeout.ms", 30_000, "request.timeout.ms", 10_000,
                "max.block.ms", 30_000), new StringSerializer(), new StringSerializer());
        this.topic = topic;
        this.prefix = prefix;
    }

    /** Produces {@code count} events now, waiting for each acknowledgement. */
    public void produce(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            produceOne();
        }
    }

    /** Starts producing {@code perSecond} events a second until {@link #stop()}. */
    public void startStreaming(int perSecond) {
        thread = new Thread(() -> {
            try {
                while (!stopping) {
                    produceOne();
                    Thread.sleep(1000 / perSecond);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException("producing " + topic + " failed", e);
            }
        }, "producer-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the stream started by {@link #startStreaming}, within 10 seconds. */
    public void stop() throws InterruptedException {
        stopping = true;
        if (thread != null) {
            thread.join(10_000);
        }
    }

    private void produceOne() throws Exception {
        String id = prefix + (ids.size() + 1);
        String json = "{\"id\": \"" + id + "\", \"detail\": \"" + (prefix.startsWith("det") ? "malware signature on host-"
                : "unit moved to zone-") + (ids.size() % 7) + "\"}";
        producer.send(new ProducerRecord<>(topic, id, json)).get();
        ids.add(id);
    }

    /** @return the ids of every event produced so far */
    public List<String> ids() {
        return List.copyOf(ids);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        producer.close();
    }
}
