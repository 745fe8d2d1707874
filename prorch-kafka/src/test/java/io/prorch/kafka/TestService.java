package io.prorch.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A service as the tests need it: reads its command topic, drops repeats by idempotency key, replies if asked. */
final class TestService implements AutoCloseable {
    final List<CommandMessage> received = new CopyOnWriteArrayList<>();
    final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
    final Set<String> done = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    /** @param answer the reply's payload for a command, or null to never reply */
    TestService(String topic, Function<CommandMessage, Map<String, Object>> answer) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                SharedBroker.bootstrap(), "group.id", "service-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer());
        KafkaProducer<String, String> producer = SharedBroker.producer();
        thread = new Thread(() -> {
            try (consumer; producer) {
                consumer.subscribe(List.of(topic));
                while (!stop.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        CommandMessage command = CommandMessage.of(record);
                        records.add(record);
                        received.add(command);
                        done.add(command.idempotencyKey());
                        if (answer != null && command.expectsReply()) {
                            producer.send(command.reply(answer.apply(command)));
                        }
                    }
                }
            }
        }, "service-" + topic);
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(10_000);
    }
}
