package io.prorch.internal.engine;

import java.time.Instant;

/**
 * One hook call in progress, shared by the worker running it and the watchdog that may abandon it. Ending and
 * abandoning are atomic (one lock), so the watchdog's interrupt can never hit the worker after it moved on.
 */
final class HookCall {
    private final Thread thread;
    private final Instant deadline;
    private final Hook hook;
    private final long startNanos = System.nanoTime();
    private boolean settled;

    HookCall(Thread thread, Instant deadline, Hook hook) {
        this.thread = thread;
        this.deadline = deadline;
        this.hook = hook;
    }

    Hook hook() {
        return hook;
    }

    /** Called by the worker when the hook returned: true if the result counts, false if it was abandoned. */
    synchronized boolean finish() {
        if (settled) {
            return false;
        }
        settled = true;
        return true;
    }

    /** Called by the watchdog: abandons the call and interrupts its thread if it ran past its deadline. */
    synchronized boolean abandonIfOverdue(Instant now) {
        if (settled || !now.isAfter(deadline)) {
            return false;
        }
        settled = true;
        thread.interrupt();
        return true;
    }

    /** @return how long ago the call started */
    java.time.Duration ranFor() {
        return java.time.Duration.ofNanos(System.nanoTime() - startNanos);
    }

    String threadName() {
        return thread.getName();
    }
}
