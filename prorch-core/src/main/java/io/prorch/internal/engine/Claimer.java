package io.prorch.internal.engine;

import io.prorch.PassSummary;
import io.prorch.repository.ClaimLimit;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.ClaimedPipeline;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due pipelines in batches, reads their steps, and launches them on the {@link RunLoop}: for a pass, which
 * waits for its runs, and for the polling loop, which does not.
 */
final class Claimer {
    private static final Logger LOG = LoggerFactory.getLogger(Claimer.class);

    private final IRepository repository;
    private final RunLoop loop;
    private final Clock clock;
    private final String owner;
    private final Duration claimDuration;
    private final int batchSize;
    private final Listeners listeners;
    private final List<ClaimLimit> limits;
    /** The pipeline names this orchestrator claims; empty for all. */
    private final Set<String> names;

    Claimer(IRepository repository, RunLoop loop, Clock clock, String owner, Duration claimDuration, int batchSize,
            Listeners listeners, Set<String> names, List<ClaimLimit> limits) {
        this.limits = List.copyOf(limits);
        this.listeners = listeners;
        this.names = Set.copyOf(names);
        this.repository = repository;
        this.loop = loop;
        this.clock = clock;
        this.owner = owner;
        this.claimDuration = claimDuration;
        this.batchSize = batchSize;
    }

    /** Runs one pass: claims every pipeline due at its start, in batches, drives each, and waits for them. */
    PassSummary pass() {
        long started = System.nanoTime();
        Instant passStart = Clocks.now(clock);
        Tracker tracker = new Tracker(passStart);
        try {
            while (!loop.isClosing()) {
                // at most two batches in memory at once, however many pipelines are due
                tracker.awaitBelow(batchSize + 1);
                List<PipelineRecord> claimed;
                try {
                    claimed = claim(new ClaimRequest(owner, passStart, Clocks.now(clock).plus(claimDuration),
                            batchSize, names, limits));
                } catch (RuntimeException e) {
                    tracker.problem(null, "claiming due pipelines failed: " + ErrorSummary.headline(e));
                    LOG.warn("prorch: claiming due pipelines failed", e);
                    break;
                }
                if (claimed.isEmpty()) {
                    break;
                }
                launchAll(claimed, tracker);
            }
            tracker.awaitBelow(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return tracker.summary(Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * One round of the polling loop: claims what is due now and launches it without waiting for the runs to end,
     * keeping at most two batches in flight in {@code background}. It never blocks on slow hooks, so a claim that
     * expires (its orchestrator died) is taken over by the next round.
     *
     * @return how many pipelines it claimed
     */
    int poll(Tracker background) {
        int launched = 0;
        while (!loop.isClosing()) {
            int room = Math.min(2 * batchSize - background.inFlight(), batchSize);
            if (room <= 0) {
                break;
            }
            Instant now = Clocks.now(clock);
            List<PipelineRecord> claimed;
            try {
                claimed = claim(new ClaimRequest(owner, now, now.plus(claimDuration), room, names, limits));
            } catch (RuntimeException e) {
                LOG.warn("prorch: claiming due pipelines failed; the next poll tries again: {}",
                        ErrorSummary.headline(e));
                break;
            }
            launchAll(claimed, background);
            launched += claimed.size();
            if (claimed.size() < room) {
                break;
            }
        }
        return launched;
    }

    /**
     * Claims, and tells listeners what was claimed with the due times the claim replaced; without listeners it asks
     * the store for the records only, so the hot path builds nothing nobody hears.
     */
    private List<PipelineRecord> claim(ClaimRequest request) {
        if (!listeners.any()) {
            return repository.claimDue(request);
        }
        List<ClaimedPipeline> claimed = repository.claimDueWithDueTimes(request);
        listeners.claimed(claimed, Clocks.now(clock));
        return claimed.stream().map(ClaimedPipeline::pipeline).toList();
    }

    private void launchAll(List<PipelineRecord> all, Tracker tracker) {
        // a pipeline whose run is still in flight here was claimed again by ourselves: that run takes the claim
        List<PipelineRecord> claimed = all.stream().filter(p -> !loop.adopt(p)).toList();
        if (claimed.isEmpty()) {
            return;
        }
        Map<UUID, StepRecord> steps;
        try {
            steps = loadSteps(claimed);
        } catch (RuntimeException batchError) {
            // one unreadable step row must not stop the batch: load pipeline by pipeline, skip only the bad ones
            claimed.forEach(p -> launchAlone(p, tracker));
            return;
        }
        claimed.forEach(p -> launch(p, steps, tracker));
    }

    private void launchAlone(PipelineRecord pipeline, Tracker tracker) {
        try {
            launch(pipeline, loadSteps(List.of(pipeline)), tracker);
        } catch (RuntimeException e) {
            skip(pipeline, tracker, "loading the steps of pipeline " + pipeline.id() + " failed: "
                    + ErrorSummary.headline(e) + "; it is retried when its claim expires");
        }
    }

    private void launch(PipelineRecord pipeline, Map<UUID, StepRecord> found, Tracker tracker) {
        StepRecord[] steps = new StepRecord[pipeline.stepNames().size()];
        for (int i = pipeline.currentStep(); i < steps.length; i++) {
            steps[i] = found.get(StepRecord.idOf(pipeline.id(), i));
            if (steps[i] == null) {
                skip(pipeline, tracker, "pipeline " + pipeline.id() + " has no step record at position " + i
                        + " (deleted by hand?); it is retried when its claim expires");
                return;
            }
        }
        loop.launch(new Run(pipeline, steps, tracker));
    }

    private static void skip(PipelineRecord pipeline, Tracker tracker, String problem) {
        LOG.warn("prorch: {}", problem);
        tracker.begin();
        tracker.problem(pipeline.id(), problem);
        tracker.end(Outcome.SKIPPED, false);
    }

    private Map<UUID, StepRecord> loadSteps(List<PipelineRecord> pipelines) {
        List<UUID> ids = new ArrayList<>();
        for (PipelineRecord p : pipelines) {
            for (int i = p.currentStep(); i < p.stepNames().size(); i++) {
                ids.add(StepRecord.idOf(p.id(), i));
            }
        }
        Map<UUID, StepRecord> found = new HashMap<>();
        for (StepRecord step : repository.getAll(Model.STEP, ids)) {
            found.put(step.id(), step);
        }
        return found;
    }
}
