package io.prorch.kafka.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The broker starts, carries messages on 127.0.0.1, and leaves nothing behind. */
class EmbeddedKafkaTest {

    @Test
    @Timeout(120)
    void carriesMessagesOnLoopback() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
            kafka.createTopics(2, "greetings");
            kafka.createTopics(2, "greetings");   // existing topics are left as they are

            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                    kafka.bootstrapServers(), "acks", "all"), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("greetings", "k" + i, "hello " + i)).get();
                }
            }
            List<String> read = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                    kafka.bootstrapServers(), "group.id", "test", "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("greetings"));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (read.size() < 10 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        read.add(r.value());
                    }
                }
            }
            assertThat(read).hasSize(10).contains("hello 0", "hello 9");
        }
    }

    @Test
    void rejectsATimeoutTooShortAndBadTopics() {
        assertThatThrownBy(() -> EmbeddedKafka.start(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 second");
        assertThatThrownBy(() -> EmbeddedKafka.start(null)).isInstanceOf(NullPointerException.class);
    }
}
