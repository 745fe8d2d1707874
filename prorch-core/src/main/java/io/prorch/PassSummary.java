package io.prorch;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What one {@link Orchestrator#executePipelines()} pass did.
 *
 * @param claimed pipelines the pass claimed and tried to drive
 * @param advanced pipelines that committed at least one transition
 * @param finished pipelines that finished in this pass
 * @param failed pipelines that failed in this pass
 * @param cancelled pipelines that were cancelled in this pass
 * @param waiting pipelines left pending: waiting for a later pass, a {@code continueAfter} delay, or a retry
 * @param skipped pipelines that could not be driven (unknown name, store error, lost claim); see {@code problems}
 * @param problems what went wrong, one entry per skipped pipeline or failed hook attempt (at most
 *     {@link #MAX_PROBLEMS})
 * @param elapsed how long the pass took
 */
public record PassSummary(int claimed, int advanced, int finished, int failed, int cancelled, int waiting,
                          int skipped, List<Problem> problems, Duration elapsed) {
    /** The most problems a summary keeps; the counts stay exact. */
    public static final int MAX_PROBLEMS = 100;

    /** Copies {@code problems}. */
    public PassSummary {
        problems = List.copyOf(problems);
    }

    /**
     * One thing that went wrong in a pass.
     *
     * @param pipelineId the pipeline concerned, or null for a problem not tied to one (the store failed to claim)
     * @param message what happened
     */
    public record Problem(UUID pipelineId, String message) {
    }

    @Override
    public String toString() {
        return "claimed=" + claimed + " advanced=" + advanced + " finished=" + finished + " failed=" + failed
                + " cancelled=" + cancelled + " waiting=" + waiting + " skipped=" + skipped
                + " problems=" + problems.size() + " elapsed=" + elapsed.toMillis() + "ms";
    }
}
