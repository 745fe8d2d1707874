package io.prorch.kafka;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Decides what a message starts. Return empty to skip a message that is not for this orchestrator (its offset is
 * committed, nothing is started); throw to reject a message that cannot be read: it goes to the dead-letter topic
 * with the exception's message as the reason, and the messages behind it keep flowing.
 */
@FunctionalInterface
public interface MessageRouter {
    /**
     * @param message the message read
     * @return the pipeline to start, or empty to skip the message
     * @throws Exception if the message cannot be read (it is dead-lettered, never retried)
     */
    Optional<PipelineRequest> route(KafkaMessage message) throws Exception;

    /**
     * @param pipelineName the pipeline every message starts
     * @return a router that starts {@code pipelineName} with the message's JSON object as its input, and rejects a
     *     value that is not a JSON object
     * @throws NullPointerException if {@code pipelineName} is null
     */
    static MessageRouter json(String pipelineName) {
        requireNonNull(pipelineName, "pipelineName");
        return message -> Optional.of(new PipelineRequest(pipelineName, message.json()));
    }
}
