package io.prorch.repository;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * A limit a {@link ClaimRequest} asks {@link IRepository#claimDue} to hold for a queue of pipelines, across every
 * claimer of the store.
 *
 * <p>A pipeline is <b>running</b> while it is {@code PENDING} and claimed by a claim that has not expired at the
 * request's {@code now}. A claim takes at most {@code maxRunning} minus the running pipelines of the queue, and, with a
 * rate, at most as many as the rate allows since the queue's earlier claims (bursts of one second's worth, at least
 * one). Among the queue's due pipelines, the highest {@link PipelineRecord#priority()} is claimed first, then the
 * earliest due. The count and the claim must be atomic with respect to other claims of the queue (a lock per queue,
 * say), so that two claimers never together exceed the limit.
 *
 * @param queue the queue's name, 1 to 200 characters
 * @param pipelineNames the pipeline names in the queue, at least one; a name is in one queue at most
 * @param maxRunning the most running pipelines of the queue, or 0 for no bound
 * @param perSecond the most claims of the queue's pipelines per second, or 0 for no rate limit
 */
public record ClaimLimit(String queue, Set<String> pipelineNames, int maxRunning, double perSecond) {
    /**
     * @throws NullPointerException if a field is null
     * @throws IllegalArgumentException for a blank or long queue name, no pipeline names, a negative bound or rate, or
     *     neither a bound nor a rate
     */
    public ClaimLimit {
        requireNonNull(queue, "queue");
        pipelineNames = Set.copyOf(requireNonNull(pipelineNames, "pipelineNames"));
        if (queue.isBlank() || queue.length() > 200) {
            throw new IllegalArgumentException("queue must be 1 to 200 non-blank characters, but was \"" + queue + "\"");
        }
        if (pipelineNames.isEmpty()) {
            throw new IllegalArgumentException("queue \"" + queue + "\" must name at least one pipeline");
        }
        if (maxRunning < 0 || !(perSecond >= 0) || Double.isInfinite(perSecond) || maxRunning == 0 && perSecond == 0) {
            throw new IllegalArgumentException("queue \"" + queue + "\" needs maxRunning >= 1 or perSecond > 0 (0 for"
                    + " none), but was maxRunning=" + maxRunning + ", perSecond=" + perSecond);
        }
    }

    /**
     * How many claims the rate allows now (a GCRA, the token bucket's twin): each claim moves the queue's
     * {@code nextFree} time on by {@code 1 / perSecond}, and claims may run up to one burst ahead of it.
     *
     * @param nextFree the queue's time as {@link #nextFreeAfter} last returned it, or null if it never claimed
     * @param now the claim's time
     * @return how many pipelines of the queue may be claimed now as far as the rate goes; {@code Integer.MAX_VALUE}
     *     without a rate
     */
    public int allowedAt(Instant nextFree, Instant now) {
        if (perSecond == 0) {
            return Integer.MAX_VALUE;
        }
        long gap = nanosPerClaim();
        int burst = burst();
        if (nextFree == null || !nextFree.isAfter(now)) {
            return burst;
        }
        long ahead = Duration.between(now, nextFree).toNanos(); // how far the queue is ahead of now
        long slack = (burst - 1) * gap - ahead;
        return slack < 0 ? 0 : (int) Math.min(burst, slack / gap + 1);
    }

    /**
     * @param nextFree the queue's time before the claim, or null
     * @param now the claim's time
     * @param claimed how many pipelines the claim took
     * @return the queue's time after the claim, to be passed to the next {@link #allowedAt}
     */
    public Instant nextFreeAfter(Instant nextFree, Instant now, int claimed) {
        Instant from = nextFree == null || nextFree.isBefore(now) ? now : nextFree;
        return from.plusNanos(claimed * nanosPerClaim());
    }

    private long nanosPerClaim() {
        return perSecond == 0 ? 0 : Math.max(1, Math.round(1e9 / perSecond));
    }

    private int burst() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.floor(perSecond)));
    }
}
