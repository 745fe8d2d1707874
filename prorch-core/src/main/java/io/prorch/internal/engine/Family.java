package io.prorch.internal.engine;

import io.prorch.ChildWait;
import io.prorch.Children;
import io.prorch.Metadata;
import io.prorch.PipelineEndedException;
import io.prorch.PipelineView;
import io.prorch.SignalTarget;
import io.prorch.Status;
import io.prorch.internal.registry.PipelineDefinition;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Child pipelines (fan-out and fan-in): starts them keyed by parent, step and index, holds a parent's
 * {@code onContinue} back until its {@link ChildWait} is met, wakes the parent with a signal when a child ends, and
 * cancels the children of a cancelled pipeline. A child names its parent in its metadata under
 * {@link PipelineView#PARENT_KEY}; a step keeps its children's ids under {@value #CHILDREN} and its wait under
 * {@value #WAIT}. The signal only wakes the parent early; the children's records are the truth, read again at each look
 * and at least every {@link #RECHECK}, so a wake-up lost in a crash costs a delay, never a result.
 */
final class Family {
    /** The step metadata key of the ids of the children a step started. */
    static final String CHILDREN = "_prorch.children";
    /** The step metadata key of what the step waits for. */
    static final String WAIT = "_prorch.childWait";
    /** The name of the signal a child sends its parent when it ends. */
    static final String SIGNAL = "_prorch.child";
    /** The longest a waiting parent sleeps without looking at its children. */
    static final Duration RECHECK = Duration.ofSeconds(30);
    /** How deep cancels cascade to children of children. */
    private static final int MAX_DEPTH = 16;
    private static final Logger LOG = LoggerFactory.getLogger(Family.class);

    private final IRepository repository;
    private final Starts starts;
    private final Signals signals;
    private final Actions actions;
    private volatile Runnable pollNow = () -> { };

    Family(IRepository repository, Starts starts, Signals signals, Actions actions) {
        this.repository = repository;
        this.starts = starts;
        this.signals = signals;
        this.actions = actions;
    }

    /** @return the ids of the children kept in a step's metadata */
    static List<UUID> ids(Metadata metadata) {
        List<UUID> ids = new ArrayList<>();
        if (metadata.get(CHILDREN).orElse(null) instanceof List<?> list) {
            for (Object id : list) {
                try {
                    ids.add(UUID.fromString(String.valueOf(id)));
                } catch (IllegalArgumentException edited) {
                    // edited by hand: not a child of ours
                }
            }
        }
        return ids;
    }

    /**
     * Starts child number {@code index} of a step, or finds the one an earlier run of the same hook started.
     *
     * @return the child's id
     */
    UUID start(PipelineRecord parent, StepRecord step, int index, PipelineDefinition child, Map<String, ?> input) {
        String key = "_prorch.child/" + parent.id() + "/" + step.position() + "/" + index;
        Map<String, Object> withParent = new LinkedHashMap<>(input);
        withParent.put(PipelineView.PARENT_KEY, Map.of("id", parent.id().toString(), "step", (long) step.position()));
        UUID id;
        try {
            id = starts.enqueue(repository, child, withParent, key);
        } catch (DuplicateRecordException startedBefore) {
            id = starts.findByIdempotencyKey(key).orElseThrow(() -> startedBefore);
        }
        pollNow.run();
        return id;
    }

    /** Sets what asks the local polling loop to claim due pipelines now (a child was started). */
    void pollNow(Runnable poll) {
        this.pollNow = poll;
    }

    /** @return the children with these ids, as stored now, in this order */
    Children read(List<UUID> ids, boolean timedOut) {
        List<Children.Child> all = new ArrayList<>(ids.size());
        for (PipelineRecord p : repository.getAll(Model.PIPELINE, ids)) {
            all.add(new Children.Child(p.id(), p.name(), p.status(), p.metadata(), p.lastError()));
        }
        return new Children(all, timedOut);
    }

    /**
     * Before {@code onContinue} of a step that waits for its children: reads them and takes the signals that woke it.
     * If the wait is met or timed out, the wait ends and the hook is to be called (it finds the children read);
     * otherwise the step waits again, without the hook.
     *
     * @return true if the step waits again (do not call the hook: the context holds its decision)
     */
    boolean holdsBack(HookContext ctx) {
        if (!(ctx.metadata().get(WAIT).orElse(null) instanceof Map<?, ?> wait)) {
            return false;
        }
        // the signals first, the records after: a child whose signal is taken here ended before the read below, and
        // a signal sent after this is still pending when the step waits again, and wakes it
        while (ctx.signal(SIGNAL).isPresent()) {
            // each child that ended sent one; the records read below are what counts
        }
        List<UUID> ids = ids(ctx.metadata());
        Children children = read(ids, false);
        long needed = wait.get("needed") instanceof Number n && n.longValue() > 0 ? Math.min(n.longValue(), ids.size())
                : ids.size();
        Instant deadline = wait.get("deadline") instanceof String text ? Instant.parse(text) : ctx.now();
        boolean met = children.ended().size() >= needed;
        if (met || !ctx.now().isBefore(deadline)) {
            ctx.metadata().remove(WAIT);
            ctx.childrenRead(new Children(children.all(), !met));
            return false;
        }
        Duration left = Duration.between(ctx.now(), deadline);
        ctx.awaitSignal(SIGNAL, left.compareTo(RECHECK) < 0 ? left : RECHECK);
        return true;
    }

    /** @return true if {@link #ended} has something to do for this pipeline */
    static boolean concerns(PipelineRecord pipeline) {
        return pipeline.status().isTerminal() && (pipeline.metadata().containsKey(PipelineView.PARENT_KEY)
                || pipeline.status() == Status.CANCELLED || pipeline.status() == Status.COMPENSATED);
    }

    /**
     * After a pipeline ended: wakes its parent if the step that started it is still current there, and cancels its
     * own running children if it was cancelled or compensated. Never throws: a lost wake-up costs at most
     * {@link #RECHECK}.
     */
    void ended(PipelineRecord pipeline) {
        try {
            PipelineView view = new PipelineView(pipeline.id(), pipeline.name(), pipeline.status(), 0, List.of(),
                    pipeline.metadata(), null, null, null, pipeline.createdAt(), pipeline.updatedAt(), 0);
            if (view.parentId().isPresent()) {
                wakeParent(pipeline, view.parentId().get());
            }
            if (pipeline.status() == Status.CANCELLED || pipeline.status() == Status.COMPENSATED) {
                cancelChildren(pipeline, "its parent pipeline " + pipeline.id() + " was "
                        + pipeline.status().value(), 0);
            }
        } catch (RuntimeException e) {
            LOG.warn("prorch: telling the family of pipeline {} that it ended failed: {}", pipeline.id(),
                    ErrorSummary.headline(e));
        }
    }

    private void wakeParent(PipelineRecord child, UUID parentId) {
        Object step = child.metadata().get(PipelineView.PARENT_KEY) instanceof Map<?, ?> ref ? ref.get("step") : null;
        PipelineRecord parent = repository.get(Model.PIPELINE, parentId).orElse(null);
        if (parent == null || parent.status().isTerminal()
                || !(step instanceof Number n && n.intValue() == parent.currentStep())) {
            return;   // the step that started it has moved on: nobody waits
        }
        try {
            signals.send(repository, SignalTarget.id(parentId), SIGNAL,
                    Map.of("child", child.id().toString(), "status", child.status().value()),
                    "child-ended/" + child.id(), true);
        } catch (PipelineEndedException endedMeanwhile) {
            // nobody to wake
        }
    }

    /**
     * Cancels a pipeline from outside, then its running children, theirs, and so on.
     *
     * @return true if this call cancelled it
     */
    boolean cancel(UUID pipelineId, String reason, String actor) {
        boolean cancelled = actions.cancel(pipelineId, reason, actor);
        if (cancelled) {
            try {
                repository.get(Model.PIPELINE, pipelineId).ifPresent(p -> cancelChildren(p, "its parent pipeline "
                        + pipelineId + " was cancelled: " + reason, 0));
            } catch (RuntimeException e) {
                // the cancel itself holds; children left running end on their own (their parent no longer waits)
                LOG.warn("prorch: pipeline {} was cancelled, but cancelling its child pipelines failed: {}",
                        pipelineId, ErrorSummary.headline(e));
            }
        }
        return cancelled;
    }

    private void cancelChildren(PipelineRecord pipeline, String reason, int depth) {
        if (depth >= MAX_DEPTH) {
            return;
        }
        List<UUID> stepIds = new ArrayList<>();
        for (int i = 0; i < pipeline.stepNames().size(); i++) {
            stepIds.add(StepRecord.idOf(pipeline.id(), i));
        }
        List<UUID> children = new ArrayList<>();
        for (StepRecord step : repository.getAll(Model.STEP, stepIds)) {
            children.addAll(ids(new Metadata(step.metadata())));
        }
        for (PipelineRecord child : repository.getAll(Model.PIPELINE, children)) {
            if (!child.status().isTerminal() && actions.cancel(child.id(), reason, null)) {
                repository.get(Model.PIPELINE, child.id()).ifPresent(c -> cancelChildren(c, reason, depth + 1));
            }
        }
    }
}
