package io.prorch.spring.boot;

import io.prorch.OrchestratorConfig;

/**
 * A bean that adjusts the auto-configured orchestrator's settings after the {@code prorch.*} properties are applied:
 * register classes outside the scanned packages, a retry policy, a clock. Customizers run in {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * OrchestratorConfigCustomizer retries() {
 *     return builder -> builder.retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(10));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface OrchestratorConfigCustomizer {
    /** @param builder the builder, with the properties, the step factory and the listeners already set */
    void customize(OrchestratorConfig.Builder builder);
}
