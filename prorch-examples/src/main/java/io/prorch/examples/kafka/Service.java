package io.prorch.examples.kafka;

import io.prorch.kafka.CommandMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A microservice of the seed: it reads its command topic, acts on each command once (a repeat, recognised by its
 * idempotency key, is dropped but still answered), and replies when asked to. It knows nothing of workflows. It
 * counts its effects per event id, so that a second pipeline for one event would show as a duplicate effect.
 */
public final class Service implements AutoCloseable {
    private final String name;
    private final Function<CommandMessage, Map<String, Object>> answer;
    private final Set<String> seenKeys = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> effects = new ConcurrentHashMap<>();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;

    /**
     * Starts consuming at once.
     *
     * @param answer the reply to a command that asks for one
     */
    public Service(String name, String bootstrap, String topic, Function<CommandMessage, Map<String, Object>> answer) {
        this.name = name;
        this.answer = answer;
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", "service-" + name + "-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer());
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "acks", "all", "delivery.timeout.ms", 30_000, "request.timeout.ms", 10_000, "max.block.ms", 30_000),
                new StringSerializer(), new StringSerializer());
        this.thread = new Thread(() -> {
            try (consumer; producer) {
                consumer.subscribe(List.of(topic));
                while (!stopping) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        handle(CommandMessage.of(record), producer);
                    }
                }
            }
        }, "service-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void handle(CommandMessage command, KafkaProducer<String, String> producer) {
        deliveries.incrementAndGet();
        if (seenKeys.add(command.idempotencyKey())) {
            effects.computeIfAbsent(String.valueOf(command.payload().get("id")), id -> new AtomicInteger())
                    .incrementAndGet();
        } else {
            repeats.incrementAndGet();   // at least once: a command sent again after a crash
        }
        if (command.expectsReply()) {
            producer.send(command.reply(answer.apply(command)));
        }
    }

    /** @return the service's name */
    public String name() {
        return name;
    }

    /** @return how many commands arrived, repeats included */
    public long deliveries() {
        return deliveries.get();
    }

    /** @return how many commands were repeats, dropped by their idempotency key */
    public long repeats() {
        return repeats.get();
    }

    /** @return how many times the service acted on event {@code id} */
    public int effects(String id) {
        AtomicInteger count = effects.get(id);
        return count == null ? 0 : count.get();
    }

    /** @return how many events it acted on */
    public int events() {
        return effects.size();
    }

    /** @return how many times it acted on an event it had acted on before (a second pipeline for one event) */
    public int duplicates() {
        return effects.values().stream().mapToInt(count -> Math.max(0, count.get() - 1)).sum();
    }

    /** @return one line: what the service received */
    public String summary() {
        return String.format("%-22s received %4d commands (%d repeats dropped by idempotency key), acted on %d events",
                name + " Service:", deliveries(), repeats(), events());
    }

    /** Stops consuming, within 10 seconds. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(10_000);
    }
}
