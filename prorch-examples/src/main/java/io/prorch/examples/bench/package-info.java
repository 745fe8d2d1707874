/**
 * prorch's benchmark: the peer harness's workload ({@code shared/bench-peers}) implemented with prorch's public API,
 * plus workloads the peers do not measure (backlog drain, history independence, idle cost, memory, the submission
 * alone, the store without the engine). {@link io.prorch.examples.bench.BenchMain} dispatches to one class per mode.
 */
package io.prorch.examples.bench;
