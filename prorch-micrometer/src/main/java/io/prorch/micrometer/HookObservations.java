package io.prorch.micrometer;

import static java.util.Objects.requireNonNull;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.prorch.HookInterceptor;

/**
 * Wraps every hook call in a Micrometer {@link Observation} named {@value #NAME}, opened on the worker thread that
 * runs the hook, so that a Micrometer Tracing bridge (OpenTelemetry or Brave) makes it a span and the hook's own
 * calls (HTTP clients, JDBC, messaging) its children:
 *
 * <pre>{@code
 * OrchestratorConfig.builder()
 *         .interceptor(HookObservations.interceptor(observationRegistry))
 *         ...
 * }</pre>
 *
 * <p>Low-cardinality keys (safe as metric tags): {@code prorch.pipeline} and {@code prorch.step} (names),
 * {@code prorch.hook} ({@code onStart}, {@code onContinue}, {@code onCompensate}). High-cardinality keys (span attributes only, never
 * tags): {@code prorch.pipeline.id} and {@code prorch.attempt}. A hook that throws is recorded as the observation's
 * error. With {@link ObservationRegistry#NOOP} nothing is recorded and the hook runs as it would without it.
 */
public final class HookObservations {
    /** The observation's name. */
    public static final String NAME = "prorch.hook";

    private HookObservations() {
    }

    /**
     * @param registry where the observations go
     * @return an interceptor for {@code OrchestratorConfig.Builder.interceptor}
     * @throws NullPointerException if {@code registry} is null
     */
    public static HookInterceptor interceptor(ObservationRegistry registry) {
        requireNonNull(registry, "registry");
        return (hook, proceed) -> {
            Observation observation = Observation.createNotStarted(NAME, registry)
                    .contextualName(hook.pipelineName() + " " + hook.stepName() + "." + hook.hook())
                    .lowCardinalityKeyValue("prorch.pipeline", hook.pipelineName())
                    .lowCardinalityKeyValue("prorch.step", hook.stepName())
                    .lowCardinalityKeyValue("prorch.hook", hook.hook())
                    .highCardinalityKeyValue("prorch.pipeline.id", hook.pipelineId().toString())
                    .highCardinalityKeyValue("prorch.attempt", Integer.toString(hook.attempt()))
                    .start();
            try (Observation.Scope scope = observation.openScope()) {
                proceed.proceed();
            } catch (Exception | Error e) {
                observation.error(e);
                throw e;
            } finally {
                observation.stop();
            }
        };
    }
}
