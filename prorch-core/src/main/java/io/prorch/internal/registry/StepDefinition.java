package io.prorch.internal.registry;

import io.prorch.OnCompensate;
import io.prorch.RetryPolicy;
import java.time.Duration;

/**
 * A validated step: a {@code @Step} class, or a step of a {@code PipelineDefinition} with its hook object.
 *
 * @param name the step's stored name
 * @param type the step class (for a defined step, its hook object's class)
 * @param hasOnStart whether it implements {@code OnStart}
 * @param hasOnContinue whether it implements {@code OnContinue}
 * @param retryPolicy the configured policy with the annotation's overrides applied
 * @param timeout how long one hook call may run before it is abandoned
 * @param deadline how long the step may stay pending after its first saved hook result, or null for no limit
 * @param hooks the shared hook object of a defined step, or null to create an instance of {@code type} per call
 */
public record StepDefinition(String name, Class<?> type, boolean hasOnStart, boolean hasOnContinue,
                             RetryPolicy retryPolicy, Duration timeout, Duration deadline, Object hooks) {
    /** A {@code @Step} class without a deadline, instantiated per call. */
    public StepDefinition(String name, Class<?> type, boolean hasOnStart, boolean hasOnContinue,
                          RetryPolicy retryPolicy, Duration timeout) {
        this(name, type, hasOnStart, hasOnContinue, retryPolicy, timeout, null, null);
    }

    /** @return whether the step class implements {@code OnCompensate} (it can be undone) */
    public boolean hasOnCompensate() {
        return OnCompensate.class.isAssignableFrom(type);
    }
}
