package io.prorch.repository;

import io.prorch.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The claim of {@link IRepository#claimDue} when the request has {@link ClaimLimit limits}, for stores that keep the
 * default and for {@link InMemoryRepository}: the queues' pipelines first (each queue by priority, then due time, up to
 * its room), then the others in due order.
 *
 * <p>A store whose every call is atomic on its own (one lock) passes {@code atomic = false} like any other, and the
 * claim is still safe across processes: each claim of a queue's pipeline is a version-checked update, after which the
 * queue's running pipelines are counted again, and the claim is given back if they are over the bound. Of any
 * {@code maxRunning + 1} claims, the one written last counts all of them, so no more than {@code maxRunning} are kept
 * (claimers racing may both give theirs back; the next claim tries again). The rate's state lives in this JVM, per
 * store instance: across processes, a store must override {@code claimDue} to hold a rate.
 */
final class LimitedClaims {
    /** The most due pipelines one limited claim reads. */
    static final int WINDOW = 10_000;
    private static final Map<IRepository, Map<String, Instant>> RATES = Collections.synchronizedMap(new WeakHashMap<>());
    private static final Comparator<PipelineRecord> QUEUE_ORDER = Comparator
            .comparingInt(PipelineRecord::priority).reversed()
            .thenComparing(PipelineRecord::dueAt).thenComparing(PipelineRecord::id);

    private LimitedClaims() {
    }

    /** @return the claimed pipelines: each queue's by priority, then the others in due order */
    static List<PipelineRecord> claim(IRepository store, ClaimRequest request, boolean atomic) {
        List<PipelineRecord> due = store.search(Model.PIPELINE, SearchFilter.all()
                .where(SearchField.STATUS, Status.PENDING).dueAtOrBefore(request.now()).limit(WINDOW));
        List<PipelineRecord> claimed = new ArrayList<>();
        Map<String, Instant> rates = RATES.computeIfAbsent(store, s -> new HashMap<>());
        synchronized (rates) {
            for (ClaimLimit queue : request.limits()) {
                int left = request.limit() - claimed.size();
                if (left > 0) {
                    claimed.addAll(claimQueue(store, request, queue, due, left, rates, atomic));
                }
            }
        }
        Set<String> limited = request.limitedNames();
        for (PipelineRecord candidate : due) {
            if (claimed.size() < request.limit() && !limited.contains(candidate.name()) && request.covers(candidate.name())) {
                PipelineRecord won = claimOne(store, candidate, request);
                if (won != null) {
                    claimed.add(won);
                }
            }
        }
        return claimed;
    }

    private static List<PipelineRecord> claimQueue(IRepository store, ClaimRequest request, ClaimLimit queue,
                                                   List<PipelineRecord> due, int left, Map<String, Instant> rates,
                                                   boolean atomic) {
        List<PipelineRecord> waiting = due.stream().filter(p -> queue.pipelineNames().contains(p.name()))
                .sorted(QUEUE_ORDER).toList();
        if (waiting.isEmpty()) {
            return List.of();
        }
        int room = Math.min(left, queue.allowedAt(rates.get(queue.queue()), request.now()));
        if (queue.maxRunning() > 0) {
            room = Math.min(room, queue.maxRunning() - running(store, queue, request.now()));
        }
        List<PipelineRecord> claimed = new ArrayList<>();
        for (PipelineRecord candidate : waiting) {
            if (claimed.size() >= room) {
                break;
            }
            PipelineRecord won = claimOne(store, candidate, request);
            if (won == null) {
                continue;
            }
            if (!atomic && queue.maxRunning() > 0 && running(store, queue, request.now()) > queue.maxRunning()) {
                giveBack(store, won, candidate);
                break;
            }
            claimed.add(won);
        }
        if (!claimed.isEmpty() && queue.perSecond() > 0) {
            rates.put(queue.queue(), queue.nextFreeAfter(rates.get(queue.queue()), request.now(), claimed.size()));
        }
        return claimed;
    }

    /** @return how many of the queue's pipelines are pending and claimed at {@code now} */
    static int running(IRepository store, ClaimLimit queue, Instant now) {
        int running = 0;
        for (String name : queue.pipelineNames()) {
            for (PipelineRecord p : store.search(Model.PIPELINE, SearchFilter.all()
                    .where(SearchField.STATUS, Status.PENDING).where(SearchField.NAME, name))) {
                if (p.isClaimedAt(now)) {
                    running++;
                }
            }
        }
        return running;
    }

    /** @return the candidate as claimed, or null if another claimer changed it first */
    static PipelineRecord claimOne(IRepository store, PipelineRecord candidate, ClaimRequest request) {
        try {
            return store.update(candidate.withClaim(request.owner(), request.until()).withDueAt(request.until())
                    .withUpdatedAt(request.now()));
        } catch (VersionConflictException lostRace) {
            return null; // another orchestrator claimed or changed it first: it is theirs now
        }
    }

    /** Undoes a claim over the queue's bound: the pipeline is unclaimed and due as it was. */
    private static void giveBack(IRepository store, PipelineRecord claimed, PipelineRecord before) {
        try {
            store.update(claimed.withClaim(before.claimOwner(), before.claimExpiresAt()).withDueAt(before.dueAt())
                    .withUpdatedAt(before.updatedAt()));
        } catch (VersionConflictException changed) {
            // changed since: nothing of ours to give back
        }
    }
}
