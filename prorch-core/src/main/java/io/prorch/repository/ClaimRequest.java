package io.prorch.repository;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Set;

/**
 * What {@link IRepository#claimDue} is asked for: up to {@code limit} pending pipelines due at or before
 * {@code now}, to be claimed by {@code owner} until {@code until}.
 *
 * @param owner the claiming orchestrator's id
 * @param now the claimer's current time; stores with a clock of their own (a database) may judge by theirs
 * @param until when the claim expires; also the claimed pipelines' new {@code dueAt}
 * @param limit the maximum number of pipelines to claim, positive
 * @param pipelineNames the names of the pipelines that may be claimed; empty for every name (an orchestrator limited
 *     to some workflows with {@code OrchestratorConfig.Builder.onlyPipelines} asks for its own only)
 */
public record ClaimRequest(String owner, Instant now, Instant until, int limit, Set<String> pipelineNames) {
    /**
     * @throws NullPointerException if a field or a name is null
     * @throws IllegalArgumentException for a blank owner or name, {@code until} not after {@code now}, or a limit
     *     below 1
     */
    public ClaimRequest {
        requireNonNull(owner, "owner");
        requireNonNull(now, "now");
        requireNonNull(until, "until");
        pipelineNames = Set.copyOf(requireNonNull(pipelineNames, "pipelineNames"));
        if (pipelineNames.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("pipelineNames must not hold a blank name, but was " + pipelineNames);
        }
        if (owner.isBlank()) {
            throw new IllegalArgumentException("owner must not be blank");
        }
        if (!until.isAfter(now)) {
            throw new IllegalArgumentException("until must be after now, but was " + until + " <= " + now);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, but was " + limit);
        }
    }

    /** A request for pipelines of every name. */
    public ClaimRequest(String owner, Instant now, Instant until, int limit) {
        this(owner, now, until, limit, Set.of());
    }

    /** @return true if a pipeline named {@code name} may be claimed by this request */
    public boolean covers(String name) {
        return pipelineNames.isEmpty() || pipelineNames.contains(name);
    }
}
