/**
 * Orchestrating services over Kafka: {@link io.prorch.kafka.TopicStarter} starts a pipeline per message,
 * {@link io.prorch.kafka.CommandStep} sends a command to a service and waits for its reply, which
 * {@link io.prorch.kafka.ReplyListener} turns into a signal; {@link io.prorch.kafka.CommandMessage} is the service's
 * side. Delivery is at least once, with an idempotency key on every command.
 */
package io.prorch.kafka;
