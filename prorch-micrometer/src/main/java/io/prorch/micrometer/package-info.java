/**
 * Micrometer meters for prorch: register a {@link io.prorch.micrometer.MicrometerListener} with
 * {@link io.prorch.OrchestratorConfig.Builder#listener} and every committed transition, hook call, claim (and its
 * lag) and group write shows in your {@code MeterRegistry}; bind {@link io.prorch.micrometer.PipelineGauges} for the
 * pipelines in the store by name and status.
 */
package io.prorch.micrometer;
