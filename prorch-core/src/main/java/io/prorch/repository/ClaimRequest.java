package io.prorch.repository;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * What {@link IRepository#claimDue} is asked for: up to {@code limit} pending pipelines due at or before
 * {@code now}, to be claimed by {@code owner} until {@code until}.
 *
 * @param owner the claiming orchestrator's id
 * @param now the claimer's current time; stores with a clock of their own (a database) may judge by theirs
 * @param until when the claim expires; also the claimed pipelines' new {@code dueAt}
 * @param limit the maximum number of pipelines to claim, positive
 */
public record ClaimRequest(String owner, Instant now, Instant until, int limit) {
    /**
     * @throws NullPointerException if a field is null
     * @throws IllegalArgumentException for a blank owner, {@code until} not after {@code now}, or a limit below 1
     */
    public ClaimRequest {
        requireNonNull(owner, "owner");
        requireNonNull(now, "now");
        requireNonNull(until, "until");
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
}
