/**
 * Micrometer meters for prorch: register a {@link io.prorch.micrometer.MicrometerListener} with
 * {@link io.prorch.OrchestratorConfig.Builder#listener} and every committed transition, hook call, claim and group
 * write shows in your {@code MeterRegistry}.
 */
package io.prorch.micrometer;
