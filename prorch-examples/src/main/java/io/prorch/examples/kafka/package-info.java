/**
 * Seed 003's orchestrated microservices over a real Kafka broker: services that talk only through topics, and an
 * orchestrator that holds the workflows and is changed and restarted without touching them. Run
 * {@link io.prorch.examples.kafka.SecurityMain}.
 */
package io.prorch.examples.kafka;
