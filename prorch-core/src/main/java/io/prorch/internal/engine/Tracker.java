package io.prorch.internal.engine;

import io.prorch.PassSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Counts the runs of one pass (or of the runs started by {@code start()}), and lets a thread wait for them.
 */
final class Tracker {
    private final Instant passStart;
    private int inFlight;
    private int claimed;
    private int advanced;
    private int finished;
    private int failed;
    private int cancelled;
    private int waiting;
    private int skipped;
    private final List<PassSummary.Problem> problems = new ArrayList<>();

    /** @param passStart the pass's start time: pipelines left waiting become due strictly after it; null: none */
    Tracker(Instant passStart) {
        this.passStart = passStart;
    }

    Instant passStart() {
        return passStart;
    }

    synchronized void begin() {
        inFlight++;
        claimed++;
    }

    synchronized void end(Outcome outcome, boolean progress) {
        switch (outcome) {
            case FINISHED -> finished++;
            case FAILED -> failed++;
            case CANCELLED -> cancelled++;
            case WAITING -> waiting++;
            case SKIPPED -> skipped++;
        }
        if (progress) {
            advanced++;
        }
        inFlight--;
        notifyAll();
    }

    synchronized void problem(UUID pipelineId, String message) {
        if (problems.size() < PassSummary.MAX_PROBLEMS) {
            problems.add(new PassSummary.Problem(pipelineId, message));
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }

    /** Waits, without a time limit, until fewer than {@code max} runs are in flight. */
    synchronized void awaitBelow(int max) throws InterruptedException {
        while (inFlight >= max) {
            wait();
        }
    }

    /**
     * Waits until fewer than {@code max} runs are in flight, or {@code timeout} passes.
     *
     * @return false if the time ran out first
     */
    synchronized boolean awaitBelow(int max, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long limit = timeout.toNanos();
        while (inFlight >= max) {
            // elapsed time, not a deadline: nanoTime's origin is arbitrary and a deadline could overflow
            long left = limit - (System.nanoTime() - start);
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized PassSummary summary(Duration elapsed) {
        return new PassSummary(claimed, advanced, finished, failed, cancelled, waiting, skipped, problems, elapsed);
    }
}
