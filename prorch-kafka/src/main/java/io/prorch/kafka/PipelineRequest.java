package io.prorch.kafka;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What a message asks for: a pipeline to start, by its registered name, with its input.
 *
 * @param pipelineName the name of a registered {@code @Pipeline}
 * @param input the pipeline's start input (JSON-compatible values)
 */
public record PipelineRequest(String pipelineName, Map<String, Object> input) {
    /**
     * @throws NullPointerException if a field is null
     * @throws IllegalArgumentException if {@code pipelineName} is blank
     */
    public PipelineRequest {
        requireNonNull(pipelineName, "pipelineName");
        requireNonNull(input, "input");
        if (pipelineName.isBlank()) {
            throw new IllegalArgumentException("pipelineName must not be blank");
        }
    }
}
