package io.prorch.internal.registry;

import io.prorch.RetryPolicy;

/**
 * A validated {@code @Step} class.
 *
 * @param name the step's stored name
 * @param type the step class
 * @param hasOnStart whether it implements {@code OnStart}
 * @param hasOnContinue whether it implements {@code OnContinue}
 * @param retryPolicy the configured policy with the annotation's overrides applied
 */
public record StepDefinition(String name, Class<?> type, boolean hasOnStart, boolean hasOnContinue,
                             RetryPolicy retryPolicy) {
}
