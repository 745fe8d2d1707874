package io.prorch.kafka;

import io.prorch.kafka.test.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One broker for every Kafka test class of this JVM (starting one takes seconds on a small machine), stopped when the
 * JVM ends; each test uses topics of its own.
 */
final class SharedBroker {
    private static EmbeddedKafka kafka;

    private SharedBroker() {
    }

    static synchronized String bootstrap() {
        if (kafka == null) {
            kafka = EmbeddedKafka.start();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        }
        return kafka.bootstrapServers();
    }

    /** @return {@code count} new topic names, created with 2 partitions each */
    static List<String> topics(int count) {
        bootstrap();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("t-" + UUID.randomUUID().toString().substring(0, 8));
        }
        kafka.createTopics(2, names.toArray(String[]::new));
        return names;
    }

    static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap(), "acks", "all"), new StringSerializer(),
                new StringSerializer());
    }

    static void send(ProducerRecord<String, String> record) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(record).get();
        }
    }

    /** @return every record on {@code topic} once at least {@code count} arrived, or what arrived within 30 s */
    static List<ConsumerRecord<String, String>> read(String topic, int count) {
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap(),
                "group.id", "reader-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    /** Waits up to {@code seconds} for {@code condition}; false if it never held. */
    static boolean await(int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
