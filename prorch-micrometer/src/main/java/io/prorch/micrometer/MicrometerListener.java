package io.prorch.micrometer;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.prorch.OrchestratorConfig;
import io.prorch.PipelineEvent;
import io.prorch.PipelineListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Records what an orchestrator does as Micrometer meters. Register it like any listener:
 *
 * <pre>{@code
 * OrchestratorConfig.builder()
 *         .listener(MicrometerListener.create(meterRegistry))
 *         ...
 * }</pre>
 *
 * <p>The meters, with the default prefix {@code prorch}:
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>counts</th></tr>
 * <tr><td>{@code prorch.transitions}</td><td>counter</td><td>{@code pipeline}, {@code step} ({@code none} for
 *     events of the whole pipeline), {@code type}</td><td>committed transitions; {@code type} is the
 *     {@link PipelineEvent.Type} in lower case, e.g. {@code step_retrying}, {@code pipeline_failed}</td></tr>
 * <tr><td>{@code prorch.hook.duration}</td><td>timer</td><td>{@code pipeline}, {@code step}, {@code hook}
 *     ({@code onStart}, {@code onContinue}, {@code onCompensate}), {@code outcome} ({@code decided}, {@code waiting}, {@code threw},
 *     {@code timed_out})</td><td>hook calls and how long they ran</td></tr>
 * <tr><td>{@code prorch.claims}</td><td>counter</td><td></td><td>due pipelines claimed to be run (not counting
 *     starts)</td></tr>
 * <tr><td>{@code prorch.claim.lag}</td><td>timer</td><td></td><td>how long due pipelines waited to be claimed: from
 *     their due time to the claim (recorded when the store tells due times: the in-memory and JDBC stores do)</td></tr>
 * <tr><td>{@code prorch.commits}</td><td>distribution summary</td><td>{@code committed} ({@code true},
 *     {@code false})</td><td>group writes to the store, and the transitions each carried</td></tr>
 * <tr><td>{@code prorch.commit.duration}</td><td>timer</td><td>{@code committed}</td><td>how long each group write
 *     took</td></tr>
 * </table>
 *
 * <p>Tags hold only pipeline and step names, which are bounded by the classes an application registers, never a
 * pipeline id: a tag per pipeline would create a meter per pipeline. (A pipeline set aside for an unknown name is
 * tagged with the name found in the store.) Percentile histograms and SLO buckets are configured the Micrometer way,
 * with a {@code MeterFilter} on the registry.
 *
 * <p>Pipelines by status are not counted here: the listener sees only what this orchestrator does, not what is in
 * the store, so a count it kept would drift; {@link PipelineGauges} reads them from the store. Thread-safe; one
 * listener may serve several orchestrators.
 */
public final class MicrometerListener implements PipelineListener {
    private static final Set<String> OWN_TAG_KEYS = Set.of("pipeline", "step", "type", "hook", "outcome", "committed");

    private final MeterRegistry registry;
    private final String prefix;
    private final Tags tags;
    private final ConcurrentMap<TransitionKey, Counter> transitions = new ConcurrentHashMap<>();
    private final ConcurrentMap<HookKey, Timer> hooks = new ConcurrentHashMap<>();
    private final Counter claims;
    private final Timer claimLag;
    private final DistributionSummary committedWrites;
    private final DistributionSummary failedWrites;
    private final Timer committedWriteTime;
    private final Timer failedWriteTime;

    private MicrometerListener(Builder builder) {
        this.registry = builder.registry;
        this.prefix = builder.prefix;
        this.tags = builder.tags;
        this.claims = Counter.builder(prefix + ".claims").tags(tags).baseUnit("pipelines")
                .description("Due pipelines claimed to be run").register(registry);
        this.claimLag = Timer.builder(prefix + ".claim.lag").tags(tags)
                .description("How long due pipelines waited to be claimed by an orchestrator").register(registry);
        this.committedWrites = commits(true);
        this.failedWrites = commits(false);
        this.committedWriteTime = commitDuration(true);
        this.failedWriteTime = commitDuration(false);
    }

    /**
     * @param registry where the meters go
     * @return a listener with the default prefix {@code prorch} and no extra tags
     * @throws NullPointerException if {@code registry} is null
     */
    public static MicrometerListener create(MeterRegistry registry) {
        return builder(registry).build();
    }

    /**
     * @param registry where the meters go
     * @return a builder for a listener with another prefix or extra tags
     * @throws NullPointerException if {@code registry} is null
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    @Override
    public void onEvent(PipelineEvent event) {
        TransitionKey key = new TransitionKey(event.pipelineName(), orNone(event.stepName()), event.type());
        transitions.computeIfAbsent(key, k -> Counter.builder(prefix + ".transitions")
                .tags(tags).tag("pipeline", k.pipeline()).tag("step", k.step())
                .tag("type", k.type().name().toLowerCase(Locale.ROOT))
                .description("Committed transitions of pipelines and steps").register(registry)).increment();
    }

    @Override
    public void onHook(String pipelineName, String stepName, String hook, Duration duration, String outcome) {
        HookKey key = new HookKey(pipelineName, orNone(stepName), hook, outcome);
        hooks.computeIfAbsent(key, k -> Timer.builder(prefix + ".hook.duration")
                .tags(tags).tag("pipeline", k.pipeline()).tag("step", k.step()).tag("hook", orNone(k.hook()))
                .tag("outcome", orNone(k.outcome()))
                .description("Hook calls and how long they ran").register(registry)).record(duration);
    }

    @Override
    public void onClaim(int count) {
        claims.increment(count);
    }

    /** Records the claim lag; a store that does not tell due times records none, a clock skew records 0. */
    @Override
    public void onClaimed(String pipelineName, Instant dueAt, Instant claimedAt) {
        if (dueAt != null && claimedAt != null) {
            Duration lag = Duration.between(dueAt, claimedAt);
            claimLag.record(lag.isNegative() ? Duration.ZERO : lag);
        }
    }

    @Override
    public void onCommit(int transitions, Duration duration, boolean committed) {
        (committed ? committedWrites : failedWrites).record(transitions);
        (committed ? committedWriteTime : failedWriteTime).record(duration);
    }

    private DistributionSummary commits(boolean committed) {
        return DistributionSummary.builder(prefix + ".commits").tags(tags).tag("committed", String.valueOf(committed))
                .baseUnit("transitions").description("Group writes to the store and the transitions each carried")
                .register(registry);
    }

    private Timer commitDuration(boolean committed) {
        return Timer.builder(prefix + ".commit.duration").tags(tags).tag("committed", String.valueOf(committed))
                .description("How long each group write to the store took").register(registry);
    }

    private static String orNone(String value) {
        return value == null ? "none" : value;
    }

    private record TransitionKey(String pipeline, String step, PipelineEvent.Type type) {
    }

    private record HookKey(String pipeline, String step, String hook, String outcome) {
    }

    /**
     * Options of a {@link MicrometerListener}; {@link #build()} it and pass it to
     * {@link OrchestratorConfig.Builder#listener}.
     */
    public static final class Builder {
        private final MeterRegistry registry;
        private String prefix = "prorch";
        private Tags tags = Tags.empty();

        private Builder(MeterRegistry registry) {
            this.registry = requireNonNull(registry, "registry");
        }

        /**
         * @param prefix the first part of every meter name, e.g. {@code "orders.prorch"} gives
         *     {@code orders.prorch.transitions}; default {@code "prorch"}
         * @return this builder
         * @throws IllegalArgumentException if {@code prefix} is blank or starts or ends with a dot
         */
        public Builder prefix(String prefix) {
            requireNonNull(prefix, "prefix");
            if (prefix.isBlank() || prefix.startsWith(".") || prefix.endsWith(".")) {
                throw new IllegalArgumentException("prefix must be a non-blank name without a leading or trailing dot"
                        + " (e.g. \"prorch\" or \"orders.prorch\"), not \"" + prefix + "\"");
            }
            this.prefix = prefix;
            return this;
        }

        /**
         * Adds tags to every meter, e.g. {@code Tags.of("orchestrator", "billing")} to tell two orchestrators of one
         * application apart. Tags common to the whole application belong on the registry
         * ({@code registry.config().commonTags(..)}).
         *
         * @param tags the tags to add to those added before
         * @return this builder
         * @throws IllegalArgumentException if a key is one the meters use themselves ({@code pipeline}, {@code step},
         *     {@code type}, {@code hook}, {@code outcome}, {@code committed})
         */
        public Builder tags(Iterable<Tag> tags) {
            requireNonNull(tags, "tags");
            for (Tag tag : tags) {
                if (OWN_TAG_KEYS.contains(tag.getKey())) {
                    throw new IllegalArgumentException("tag key \"" + tag.getKey() + "\" is used by prorch's meters"
                            + " themselves; choose another key (e.g. \"orchestrator\")");
                }
            }
            this.tags = this.tags.and(tags);
            return this;
        }

        /** @return a listener registering its meters with this builder's registry, prefix and tags */
        public MicrometerListener build() {
            return new MicrometerListener(this);
        }
    }
}
