package io.prorch.internal.engine;

import io.prorch.PipelineEvent;
import io.prorch.PipelineListener;
import io.prorch.Status;
import io.prorch.repository.ClaimedPipeline;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SignalRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's {@link PipelineListener}s, told what happened with every failure isolated: a listener that throws is
 * logged (at most once a minute per listener) and never reaches the engine. Events are derived from the records
 * before and after a commit, so the step machine stays unaware of them.
 */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private static final long LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final List<PipelineListener> listeners;
    private final long[] lastLogged;

    Listeners(List<PipelineListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.lastLogged = new long[listeners.size()];
    }

    /** @return true if anyone listens: callers skip building events otherwise */
    boolean any() {
        return !listeners.isEmpty();
    }

    void hook(String pipelineName, String stepName, Hook hook, Duration duration, String outcome) {
        tell(l -> l.onHook(pipelineName, stepName, hook.methodName(), duration, outcome));
    }

    /** Tells the claim's count, then each pipeline's due time, in that order, from the one place claims happen. */
    void claimed(List<ClaimedPipeline> claimed, Instant claimedAt) {
        if (claimed.isEmpty()) {
            return;
        }
        tell(l -> l.onClaim(claimed.size()));
        for (ClaimedPipeline c : claimed) {
            tell(l -> l.onClaimed(c.pipeline().name(), c.wasDueAt(), claimedAt));
        }
    }

    void commit(int transitions, Duration duration, boolean committed) {
        tell(l -> l.onCommit(transitions, duration, committed));
    }

    void started(PipelineRecord pipeline) {
        event(PipelineEvent.Type.PIPELINE_STARTED, pipeline, null, pipeline.createdAt(), null);
    }

    void setAside(PipelineRecord pipeline, String problem) {
        event(PipelineEvent.Type.PIPELINE_SET_ASIDE, pipeline, null, pipeline.updatedAt(), problem);
    }

    /**
     * Tells what a commit changed.
     *
     * @param before the pipeline record before the commit
     * @param stepsBefore the step records before the commit, by position
     * @param stored the records as committed
     */
    void committed(PipelineRecord before, IntFunction<StepRecord> stepsBefore, List<StoredRecord> stored) {
        PipelineRecord after = before;
        List<PipelineEvent> events = new ArrayList<>(2);
        for (StoredRecord record : stored) {
            if (record instanceof PipelineRecord p) {
                after = p;
            }
        }
        for (StoredRecord record : stored) {
            if (record instanceof StepRecord step) {
                stepEvents(after, stepsBefore.apply(step.position()), step, events);
            } else if (record instanceof SignalRecord signal) {
                int position = signal.consumedByStep();
                events.add(new PipelineEvent(PipelineEvent.Type.SIGNAL_RECEIVED, after.id(), after.name(),
                        position >= 0 ? after.stepNames().get(position) : null, position, 0, signal.name(),
                        signal.updatedAt()));
            }
        }
        if (after.status() != before.status()) {
            PipelineEvent.Type type = switch (after.status()) {
                case FINISHED -> PipelineEvent.Type.PIPELINE_FINISHED;
                case FAILED -> PipelineEvent.Type.PIPELINE_FAILED;
                case CANCELLED -> PipelineEvent.Type.PIPELINE_CANCELLED;
                case COMPENSATED -> PipelineEvent.Type.PIPELINE_COMPENSATED;
                default -> null;
            };
            if (type != null) {
                events.add(new PipelineEvent(type, after.id(), after.name(), null, -1, 0,
                        type == PipelineEvent.Type.PIPELINE_FINISHED ? null : after.lastError(), after.updatedAt()));
            }
        }
        events.forEach(e -> tell(l -> l.onEvent(e)));
    }

    private static void stepEvents(PipelineRecord pipeline, StepRecord before, StepRecord after,
                                   List<PipelineEvent> events) {
        Status from = before == null ? Status.CREATED : before.status();
        Status to = after.status();
        boolean failedNow = after.attempts() > (before == null ? 0 : before.attempts());
        int attempt = failedNow ? after.attempts() : after.attempts() + 1;
        if (from == Status.CREATED && to != Status.CREATED && to != Status.CANCELLED && !failedNow) {
            events.add(step(PipelineEvent.Type.STEP_STARTED, pipeline, after, attempt, null));
        }
        PipelineEvent.Type type = switch (to) {
            case FINISHED -> PipelineEvent.Type.STEP_FINISHED;
            case FAILED -> PipelineEvent.Type.STEP_FAILED;
            case CANCELLED -> PipelineEvent.Type.STEP_CANCELLED;
            case COMPENSATED -> PipelineEvent.Type.STEP_COMPENSATED;
            case CREATED, PENDING -> failedNow
                    ? PipelineEvent.Type.STEP_RETRYING
                    : from == Status.PENDING ? PipelineEvent.Type.STEP_WAITING : null;
        };
        if (type != null) {
            boolean withError = type != PipelineEvent.Type.STEP_FINISHED && type != PipelineEvent.Type.STEP_WAITING;
            events.add(step(type, pipeline, after, attempt, withError ? after.lastError() : null));
        }
    }

    private static PipelineEvent step(PipelineEvent.Type type, PipelineRecord pipeline, StepRecord step, int attempt,
                                      String error) {
        return new PipelineEvent(type, pipeline.id(), pipeline.name(), step.name(), step.position(), attempt,
                ErrorSummary.firstLine(error), step.updatedAt());
    }

    private void event(PipelineEvent.Type type, PipelineRecord pipeline, StepRecord step, Instant at, String error) {
        PipelineEvent event = new PipelineEvent(type, pipeline.id(), pipeline.name(),
                step == null ? null : step.name(), step == null ? -1 : step.position(), 0, error, at);
        tell(l -> l.onEvent(event));
    }

    private void tell(Consumer<PipelineListener> call) {
        for (int i = 0; i < listeners.size(); i++) {
            PipelineListener listener = listeners.get(i);
            try {
                call.accept(listener);
            } catch (Throwable t) {
                long now = System.nanoTime();
                synchronized (lastLogged) {
                    if (lastLogged[i] == 0 || now - lastLogged[i] > LOG_EVERY_NANOS) {
                        lastLogged[i] = now;
                        LOG.warn("prorch: listener {} threw; it is ignored (logged at most once a minute)",
                                listener.getClass().getName(), t);
                    }
                }
            }
        }
    }
}
