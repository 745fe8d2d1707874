package io.prorch.examples.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The work every benchmark step does, as in the peer harness: count itself, and check that each process ran
 * step 1, 2, 3 exactly once and in that order (a duplicate or a reordering is a violation).
 */
public final class ProcessTracker {
    private final AtomicIntegerArray lastStep;
    final AtomicLong steps = new AtomicLong();
    final AtomicLong done = new AtomicLong();
    final AtomicLong violations = new AtomicLong();
    final AtomicLong firstStepNanos = new AtomicLong();
    final AtomicLong lastStepNanos = new AtomicLong();
    final AtomicLong maxGapNanos = new AtomicLong();

    ProcessTracker(int processes) {
        this.lastStep = new AtomicIntegerArray(processes);
    }

    /** Runs step {@code k} (1..3) of process {@code id}. */
    void step(int id, int k) {
        if (lastStep.getAndSet(id, k) != k - 1) {
            violations.incrementAndGet();
        }
        steps.incrementAndGet();
        long now = System.nanoTime();
        long gap = now - lastStepNanos.getAndSet(now);
        if (gap > maxGapNanos.get()) {
            maxGapNanos.accumulateAndGet(gap, Math::max);
        }
        firstStepNanos.compareAndSet(0, now);
        if (k == 3) {
            done.incrementAndGet();
        }
    }

    /** Starts a measured phase at {@code t0}: the first-step time and the longest gap restart. */
    void startPhase(long t0) {
        firstStepNanos.set(0);
        lastStepNanos.set(t0);
        maxGapNanos.set(0);
    }
}
