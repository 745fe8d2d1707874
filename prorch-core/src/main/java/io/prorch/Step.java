package io.prorch;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a step. It implements {@link OnStart}, {@link OnContinue} or both, and has a public no-arg
 * constructor unless a {@link StepFactory} creates it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Step {
    /** @return the step's stored name; defaults to the class's simple name. Must be unique among steps. */
    String name() default "";

    /** @return how many attempts a hook of this step gets before the step fails; -1 uses the configured policy */
    int maxAttempts() default -1;

    /** @return the wait before the first retry, in milliseconds; -1 uses the configured policy */
    long initialBackoffMillis() default -1;

    /**
     * @return how long one call of a hook of this step may run, in milliseconds, before it is abandoned (its thread
     *     interrupted) and the attempt counts as failed; -1 uses the configured {@code hookTimeout}
     */
    long timeoutMillis() default -1;

    /**
     * @return the longest the step may take, as an ISO-8601 duration ({@code "PT72H"}, {@code "P3D"}), counted from
     *     its first saved hook result: a step still pending after that, however it waits (polling with
     *     {@code continueAfter}, awaiting a signal, retrying), fails with its pipeline, {@code lastError} saying it
     *     passed its deadline. Distinct from {@link #timeoutMillis()}, which bounds one hook call. Empty (the default):
     *     no deadline. A malformed or non-positive value fails the orchestrator's construction with a
     *     {@code ConfigurationException}.
     */
    String deadline() default "";
}
