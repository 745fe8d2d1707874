package io.prorch.internal.engine;

import static java.util.Objects.requireNonNull;

import io.prorch.ChildWait;
import io.prorch.Children;
import io.prorch.Metadata;
import io.prorch.Signal;
import io.prorch.StepContext;
import io.prorch.internal.registry.Definitions;
import io.prorch.internal.registry.PipelineDefinition;
import io.prorch.repository.JsonValues;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SignalRecord;
import io.prorch.repository.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** The {@link StepContext} of one hook call: editable copies of the metadata, and the decision taken. */
final class HookContext implements StepContext {
    private final PipelineRecord pipeline;
    private final StepRecord step;
    private final Instant now;
    private final Metadata metadata;
    private final Metadata pipelineMetadata;
    private final Function<UUID, List<SignalRecord>> inbox;
    private Decision decision = Decision.NONE;
    private String reason;
    private Duration delay;
    private String awaited;
    private List<SignalRecord> pending;
    private final List<SignalRecord> taken = new ArrayList<>(0);
    private volatile boolean open = true;
    private final Family family;
    private final Definitions definitions;
    private Children children;

    /**
     * @param inbox reads the pending signals of a pipeline, oldest first; called at most once, when the hook first
     *     asks for a signal
     */
    HookContext(PipelineRecord pipeline, StepRecord step, Instant now, Function<UUID, List<SignalRecord>> inbox) {
        this(pipeline, step, now, inbox, null, null);
    }

    /**
     * @param family starts and reads child pipelines, or null if this context cannot
     * @param definitions the registered pipelines, to start children by class or name
     */
    HookContext(PipelineRecord pipeline, StepRecord step, Instant now, Function<UUID, List<SignalRecord>> inbox,
                Family family, Definitions definitions) {
        this.family = family;
        this.definitions = definitions;
        this.pipeline = pipeline;
        this.step = step;
        this.now = now;
        this.inbox = inbox;
        this.metadata = new Metadata(step.metadata());
        this.pipelineMetadata = new Metadata(pipeline.metadata());
    }

    @Override
    public UUID pipelineId() {
        return pipeline.id();
    }

    @Override
    public String pipelineName() {
        return pipeline.name();
    }

    @Override
    public UUID stepId() {
        return step.id();
    }

    @Override
    public String stepName() {
        return step.name();
    }

    @Override
    public int stepPosition() {
        return step.position();
    }

    @Override
    public int attempt() {
        return step.attempts() + 1;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public Metadata metadata() {
        return metadata;
    }

    @Override
    public Metadata pipelineMetadata() {
        return pipelineMetadata;
    }

    @Override
    public String idempotencyKey() {
        return pipeline.id() + "/" + step.position() + "/" + step.name();
    }

    @Override
    public long fencingToken() {
        return pipeline.version();
    }

    @Override
    public void finish() {
        decide(Decision.FINISH, null, null);
    }

    @Override
    public void fail(String reason) {
        decide(Decision.FAIL, ErrorSummary.reason(requireNonNull(reason, "reason")), null);
    }

    @Override
    public void cancel(String reason) {
        decide(Decision.CANCEL, ErrorSummary.reason(requireNonNull(reason, "reason")), null);
    }

    @Override
    public void continueAfter(Duration delay) {
        requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("continueAfter delay must not be negative, but was " + delay);
        }
        decide(Decision.CONTINUE_AFTER, null, delay);
    }

    @Override
    public void awaitSignal(String name, Duration timeout) {
        checkName(name);
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("awaitSignal timeout must be positive, but was " + timeout);
        }
        decide(Decision.AWAIT_SIGNAL, null, timeout);
        awaited = name;
    }

    @Override
    public Optional<Signal> signal(String name) {
        requireNonNull(name, "name");
        checkOpen();
        if (pending == null) {
            pending = new ArrayList<>(inbox.apply(pipeline.id()));
        }
        for (SignalRecord s : pending) {
            if (s.name().equals(name)) {
                pending.remove(s);
                taken.add(s);
                return Optional.of(new Signal(s.id(), s.name(), s.payload(), s.createdAt()));
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean signalTimedOut(String name) {
        requireNonNull(name, "name");
        Instant deadline = Awaiting.deadline(step.metadata(), name);
        return deadline != null && !now.isBefore(deadline);
    }

    @Override
    public UUID startChild(Class<?> type, Map<String, ?> input) {
        requireNonNull(type, "pipeline");
        checkFamily();
        PipelineDefinition child = definitions.pipeline(type).orElseThrow(() -> new IllegalArgumentException(
                type.getName() + " is not a registered @Pipeline; register it with this orchestrator to start it as a"
                + " child (known: " + definitions.pipelineNames() + ")"));
        return startChild(child, input);
    }

    @Override
    public UUID startChild(String pipelineName, Map<String, ?> input) {
        requireNonNull(pipelineName, "pipelineName");
        checkFamily();
        PipelineDefinition child = definitions.pipeline(pipelineName).orElseThrow(() -> new IllegalArgumentException(
                "No @Pipeline named \"" + pipelineName + "\" is registered; known: " + definitions.pipelineNames()));
        return startChild(child, input);
    }

    private UUID startChild(PipelineDefinition child, Map<String, ?> input) {
        Map<String, Object> checked = JsonValues.canonicalMap(requireNonNull(input, "input"), "Child input");
        List<UUID> ids = Family.ids(metadata);
        UUID id = family.start(pipeline, step, ids.size(), child, checked);
        List<String> kept = new ArrayList<>(ids.size() + 1);
        ids.forEach(i -> kept.add(i.toString()));
        kept.add(id.toString());
        metadata.put(Family.CHILDREN, kept);
        children = null;   // read again: one more child
        return id;
    }

    @Override
    public void awaitChildren(ChildWait wait) {
        requireNonNull(wait, "wait");
        checkFamily();
        if (Family.ids(metadata).isEmpty()) {
            throw new IllegalStateException("Step \"" + step.name() + "\" of pipeline " + pipeline.id() + " started no"
                    + " children; call startChild(..) before awaitChildren(..)");
        }
        decide(Decision.AWAIT_SIGNAL, null, wait.timeout().compareTo(Family.RECHECK) < 0 ? wait.timeout()
                : Family.RECHECK);
        awaited = Family.SIGNAL;
        metadata.put(Family.WAIT, Map.of("needed", (long) wait.needed(), "deadline",
                now.plus(wait.timeout()).toString()));
    }

    @Override
    public Children children() {
        checkFamily();
        if (children == null) {
            children = family.read(Family.ids(metadata), false);
        }
        return children;
    }

    /** Gives the hook the children its wait just read. */
    void childrenRead(Children read) {
        children = read;
    }

    private void checkFamily() {
        checkOpen();
        if (family == null) {
            throw new UnsupportedOperationException("This context of step \"" + step.name() + "\" cannot start or"
                    + " read child pipelines");
        }
    }

    private static void checkName(String name) {
        requireNonNull(name, "name");
        if (name.isBlank() || name.length() > SignalRecord.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("A signal name must be 1 to " + SignalRecord.MAX_NAME_LENGTH
                    + " non-blank characters, but was \"" + name + "\"");
        }
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("The hook of step \"" + step.name() + "\" of pipeline " + pipeline.id()
                    + " has returned; read signals inside the hook call, not afterwards or from another thread");
        }
    }

    private void decide(Decision next, String why, Duration wait) {
        if (!open) {
            throw new IllegalStateException("The hook of step \"" + step.name() + "\" of pipeline " + pipeline.id()
                    + " has returned; decide inside the hook call, not afterwards or from another thread");
        }
        if (decision != Decision.NONE) {
            throw new IllegalStateException("Step \"" + step.name() + "\" already decided " + describe(decision)
                    + " in this hook call; a hook takes at most one decision");
        }
        decision = next;
        reason = why;
        delay = wait;
    }

    private static String describe(Decision d) {
        return switch (d) {
            case FINISH -> "finish()";
            case FAIL -> "fail(..)";
            case CANCEL -> "cancel(..)";
            case CONTINUE_AFTER -> "continueAfter(..)";
            case AWAIT_SIGNAL -> "awaitSignal(..)";
            case NONE -> "nothing";
        };
    }

    /** Ends the call: later decisions throw. */
    void close() {
        open = false;
    }

    /** @return the decision taken and the metadata as the hook left it */
    HookResult result() {
        return new HookResult(decision, reason, delay, metadata.asMap(), pipelineMetadata.asMap(), null, awaited,
                List.copyOf(taken));
    }
}
