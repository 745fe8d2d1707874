/**
 * prorch's benchmark: the peer harness's workload ({@code shared/bench-peers}) implemented with prorch's public API,
 * plus workloads the peers do not measure (backlog drain, history independence, idle cost, memory).
 */
package io.prorch.examples.bench;
