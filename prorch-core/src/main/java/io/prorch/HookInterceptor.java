package io.prorch;

import java.util.UUID;

/**
 * Wraps every hook call, on the worker thread that runs it and inside the MDC scope: the place for tracing spans
 * (Micrometer Observation, OpenTelemetry), a security or transaction context, or timing. Register it with
 * {@link OrchestratorConfig.Builder#interceptor}; several are nested in the order they were added, the first
 * outermost.
 *
 * <pre>{@code
 * HookInterceptor tracing = (hook, proceed) -> {
 *     Span span = tracer.spanBuilder(hook.stepName()).startSpan();
 *     try (Scope scope = span.makeCurrent()) {
 *         proceed.proceed();          // runs the hook; rethrows what it threw
 *     } finally {
 *         span.end();
 *     }
 * };
 * }</pre>
 *
 * <p>An interceptor must call {@link Proceed#proceed()} exactly once. What it throws counts as the hook's failure
 * (the attempt fails and is retried, as if the hook had thrown); if it returns without proceeding, the attempt fails
 * with an {@code IllegalStateException} naming it.
 */
@FunctionalInterface
public interface HookInterceptor {

    /**
     * @param hook which hook of which step and pipeline is about to run
     * @param proceed runs the hook (and the interceptors inside this one)
     * @throws Exception whatever the hook threw, or the interceptor's own failure
     */
    void intercept(Invocation hook, Proceed proceed) throws Exception;

    /** Runs the intercepted hook. */
    @FunctionalInterface
    interface Proceed {
        /** Runs the hook once; rethrows what it threw. */
        void proceed() throws Exception;
    }

    /**
     * The hook call being intercepted.
     *
     * @param pipelineId the pipeline's id (unbounded: a span attribute, never a metric tag)
     * @param pipelineName its {@code @Pipeline} name
     * @param stepName the step's name
     * @param stepPosition the step's position, from 0
     * @param hook {@code "onStart"}, {@code "onContinue"} or {@code "onCompensate"}
     * @param attempt the attempt, from 1
     */
    record Invocation(UUID pipelineId, String pipelineName, String stepName, int stepPosition, String hook,
                      int attempt) {
    }
}
