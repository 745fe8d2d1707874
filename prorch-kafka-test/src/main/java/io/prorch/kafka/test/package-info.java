/**
 * A real Kafka broker for tests and examples: {@link io.prorch.kafka.test.EmbeddedKafka} starts Kafka in KRaft mode
 * (one node, broker and controller) inside the JVM on 127.0.0.1, from Maven artifacts alone.
 */
package io.prorch.kafka.test;
