package io.prorch.internal.engine;

import io.prorch.repository.PipelineRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the runs in flight on a thread of its own, which never waits for I/O: renews a run's claim once half of it
 * is gone (a hook still running, or the run waiting for a worker), and abandons a hook that ran past its timeout.
 */
final class Watchdog {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

    private final RunLoop loop;
    private final Clock clock;
    private final Duration claimDuration;
    private final ScheduledExecutorService thread;

    /**
     * Starts watching.
     *
     * @param shortestTimeout the shortest hook timeout of any step: a hook past it is noticed within a quarter of it
     */
    Watchdog(RunLoop loop, Clock clock, Duration claimDuration, Duration shortestTimeout) {
        this.loop = loop;
        this.clock = clock;
        this.claimDuration = claimDuration;
        this.thread = Executors.newSingleThreadScheduledExecutor(Threads.named("prorch-claim-renewer"));
        long period = Math.min(claimDuration.toMillis(), shortestTimeout.toMillis()) / 4;
        thread.scheduleWithFixedDelay(this::check, 10, Math.max(10, Math.min(period, 1000)), TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            Instant now = Clocks.now(clock);
            Instant threshold = now.plus(claimDuration.dividedBy(2));
            for (Run run : loop.active()) {
                HookCall call = run.hookCall();
                if (call != null && call.abandonIfOverdue(now)) {
                    LOG.warn("prorch: a hook of pipeline {} ran past its timeout; thread {} was interrupted",
                            run.id(), call.threadName());
                    loop.timedOut(run, call);
                    continue;
                }
                PipelineRecord p = run.pipeline();
                if (p.claimExpiresAt() != null && p.claimExpiresAt().isBefore(threshold)) {
                    loop.renew(run);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("prorch: watching hooks in flight failed", e);
        }
    }

    void stop() {
        thread.shutdownNow();
    }
}
