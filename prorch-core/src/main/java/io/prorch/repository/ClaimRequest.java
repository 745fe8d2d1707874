package io.prorch.repository;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@link IRepository#claimDue} is asked for: up to {@code limit} pending pipelines due at or before
 * {@code now}, of the {@code pipelineNames} asked for, to be claimed by {@code owner} until {@code until}, holding the
 * {@code limits} of their queues.
 *
 * @param owner the claiming orchestrator's id
 * @param now the claimer's current time; stores with a clock of their own (a database) may judge by theirs
 * @param until when the claim expires; also the claimed pipelines' new {@code dueAt}
 * @param limit the maximum number of pipelines to claim, positive
 * @param pipelineNames the names of the pipelines that may be claimed; empty for every name (an orchestrator limited
 *     to some workflows with {@code OrchestratorConfig.Builder.onlyPipelines} asks for its own only)
 * @param limits the queues whose limits the claim holds (see {@link ClaimLimit}), each pipeline name in one at most;
 *     empty for none
 */
public record ClaimRequest(String owner, Instant now, Instant until, int limit, Set<String> pipelineNames,
                           List<ClaimLimit> limits) {
    /**
     * @throws NullPointerException if a field or a name is null
     * @throws IllegalArgumentException for a blank owner or name, {@code until} not after {@code now}, a limit below
     *     1, a pipeline name in two queues, or a queue with a pipeline outside {@code pipelineNames}
     */
    public ClaimRequest {
        requireNonNull(owner, "owner");
        requireNonNull(now, "now");
        requireNonNull(until, "until");
        pipelineNames = Set.copyOf(requireNonNull(pipelineNames, "pipelineNames"));
        if (pipelineNames.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("pipelineNames must not hold a blank name, but was " + pipelineNames);
        }
        limits = List.copyOf(requireNonNull(limits, "limits"));
        if (owner.isBlank()) {
            throw new IllegalArgumentException("owner must not be blank");
        }
        if (!until.isAfter(now)) {
            throw new IllegalArgumentException("until must be after now, but was " + until + " <= " + now);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, but was " + limit);
        }
        Set<String> seen = new HashSet<>();
        for (ClaimLimit queue : limits) {
            for (String name : queue.pipelineNames()) {
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("pipeline \"" + name + "\" is in two queues of the claim");
                }
                if (!pipelineNames.isEmpty() && !pipelineNames.contains(name)) {
                    throw new IllegalArgumentException("queue \"" + queue.queue() + "\" holds pipeline \"" + name
                            + "\", which this claim does not cover (" + pipelineNames + "); leave the queue out");
                }
            }
        }
    }

    /** A request for pipelines of every name, without limits. */
    public ClaimRequest(String owner, Instant now, Instant until, int limit) {
        this(owner, now, until, limit, Set.of(), List.of());
    }

    /** A request for pipelines of some names ({@code pipelineNames}; empty for all), without limits. */
    public ClaimRequest(String owner, Instant now, Instant until, int limit, Set<String> pipelineNames) {
        this(owner, now, until, limit, pipelineNames, List.of());
    }

    /** A request for pipelines of every name, holding the {@code limits} of their queues. */
    public ClaimRequest(String owner, Instant now, Instant until, int limit, List<ClaimLimit> limits) {
        this(owner, now, until, limit, Set.of(), limits);
    }

    /** @return true if a pipeline named {@code name} may be claimed by this request */
    public boolean covers(String name) {
        return pipelineNames.isEmpty() || pipelineNames.contains(name);
    }

    /** @return the names of the pipelines in some queue, which an unlimited claim leaves alone */
    public Set<String> limitedNames() {
        Set<String> names = new HashSet<>();
        limits.forEach(queue -> names.addAll(queue.pipelineNames()));
        return names;
    }
}
