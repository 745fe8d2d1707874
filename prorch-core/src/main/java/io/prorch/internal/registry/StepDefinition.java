package io.prorch.internal.registry;

import io.prorch.OnCompensate;
import io.prorch.RetryPolicy;
import java.time.Duration;

/**
 * A validated {@code @Step} class.
 *
 * @param name the step's stored name
 * @param type the step class
 * @param hasOnStart whether it implements {@code OnStart}
 * @param hasOnContinue whether it implements {@code OnContinue}
 * @param retryPolicy the configured policy with the annotation's overrides applied
 * @param timeout how long one hook call may run before it is abandoned
 * @param deadline how long the step may stay pending after its first saved hook result, or null for no limit
 */
public record StepDefinition(String name, Class<?> type, boolean hasOnStart, boolean hasOnContinue,
                             RetryPolicy retryPolicy, Duration timeout, Duration deadline) {
    /** A step without a deadline. */
    public StepDefinition(String name, Class<?> type, boolean hasOnStart, boolean hasOnContinue,
                          RetryPolicy retryPolicy, Duration timeout) {
        this(name, type, hasOnStart, hasOnContinue, retryPolicy, timeout, null);
    }

    /** @return whether the step class implements {@code OnCompensate} (it can be undone) */
    public boolean hasOnCompensate() {
        return OnCompensate.class.isAssignableFrom(type);
    }
}
