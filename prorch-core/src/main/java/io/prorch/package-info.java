/**
 * prorch's public API: annotate pipelines and steps ({@link io.prorch.Pipeline}, {@link io.prorch.Step}), implement
 * their hooks ({@link io.prorch.OnStart}, {@link io.prorch.OnContinue}), configure an
 * {@link io.prorch.OrchestratorConfig} and drive pipelines with an {@link io.prorch.Orchestrator}. Storage is in
 * {@link io.prorch.repository}; everything under {@code io.prorch.internal} is not API and may change at any time.
 */
package io.prorch;
