package io.prorch;

import static io.prorch.internal.config.Settings.atLeast;
import static io.prorch.internal.config.Settings.within;
import static java.util.Objects.requireNonNull;

import io.prorch.internal.config.Settings;
import io.prorch.internal.config.Validation;
import io.prorch.internal.registry.Definitions;
import io.prorch.repository.IRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The immutable configuration of an {@link Orchestrator}, e.g. {@code OrchestratorConfig.builder().repository(
 * JdbcRepository.create(dataSource)).scanPackages("com.acme.backup").build()}. Build it once; {@link Builder#build()}
 * scans and validates every pipeline and step and reports all problems together.
 */
public final class OrchestratorConfig {
    /** How long a claim on a pipeline lasts before another orchestrator may take it over: 1 minute. */
    public static final Duration DEFAULT_CLAIM_DURATION = Duration.ofMinutes(1);
    /** How many pipelines a pass claims at a time: 100. */
    public static final int DEFAULT_BATCH_SIZE = 100;
    /** How many threads run hooks: 4. */
    public static final int DEFAULT_WORKER_THREADS = 4;
    /** How long one hook call may run before it is abandoned and counted as a failed attempt: 10 minutes. */
    public static final Duration DEFAULT_HOOK_TIMEOUT = Duration.ofMinutes(10);
    /** How long {@link Orchestrator#close()} waits for hooks in flight: 30 seconds. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /** Default for {@link Builder#maxMetadataBytes}: 1 MiB of JSON per record. */
    public static final int DEFAULT_MAX_METADATA_BYTES = 1 << 20;

    private final IRepository repository;
    private final Definitions definitions;
    private final StepFactory stepFactory;
    private final RetryPolicy retryPolicy;
    private final Duration claimDuration;
    private final Clock clock;
    private final boolean storeClock;
    private final String orchestratorId;
    private final int batchSize;
    private final int workerThreads;
    private final Duration shutdownTimeout;
    private final Duration hookTimeout;
    private final int maxMetadataBytes;
    private final List<PipelineListener> listeners;
    private final List<HookInterceptor> interceptors;
    private final List<Schedule> schedules;
    private final List<Limit> limits;
    private final Set<String> onlyPipelines;
    private final Duration retention;

    private OrchestratorConfig(Builder b, Validation.Checked checked) {
        this.repository = b.repository;
        this.definitions = checked.definitions();
        this.stepFactory = b.stepFactory;
        this.retryPolicy = b.retryPolicy;
        this.claimDuration = b.claimDuration;
        this.clock = b.clock;
        this.storeClock = b.storeClock != null ? b.storeClock : !b.clockSet;
        this.orchestratorId = b.orchestratorId != null ? b.orchestratorId : Settings.defaultOrchestratorId();
        this.batchSize = b.batchSize;
        this.workerThreads = b.workerThreads;
        this.shutdownTimeout = b.shutdownTimeout;
        this.hookTimeout = b.hookTimeout;
        this.maxMetadataBytes = b.maxMetadataBytes;
        this.listeners = List.copyOf(b.listeners);
        this.interceptors = List.copyOf(b.interceptors);
        this.schedules = List.copyOf(checked.schedules());
        this.limits = List.copyOf(b.limits);
        this.onlyPipelines = Set.copyOf(b.onlyPipelines);
        this.retention = b.retention;
    }

    /** @return a new builder with every default set and no repository */
    public static Builder builder() {
        return new Builder();
    }

    /** @return where pipelines and steps are stored */
    public IRepository repository() {
        return repository;
    }

    /** @return what creates step instances, or null for the public no-arg constructor */
    public StepFactory stepFactory() {
        return stepFactory;
    }

    /** @return the retry policy of steps that do not override it */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** @return how long a claim lasts; renewed while a hook runs */
    public Duration claimDuration() {
        return claimDuration;
    }

    /** @return the local clock: for timestamps, due times and claims unless {@link #storeClock()} applies */
    public Clock clock() {
        return clock;
    }

    /** @return true if claims, due times and timestamps follow the store's clock when it has one */
    public boolean storeClock() {
        return storeClock;
    }

    /** @return the id this orchestrator claims pipelines under */
    public String orchestratorId() {
        return orchestratorId;
    }

    /** @return how many pipelines a pass claims at a time */
    public int batchSize() {
        return batchSize;
    }

    /** @return how many threads run hooks */
    public int workerThreads() {
        return workerThreads;
    }

    /** @return how long {@link Orchestrator#close()} waits for hooks in flight */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** @return how long one hook call may run unless its {@code @Step} says otherwise */
    public Duration hookTimeout() {
        return hookTimeout;
    }

    /** @return the most JSON bytes one record's metadata may hold */
    public int maxMetadataBytes() {
        return maxMetadataBytes;
    }

    /** @return the listeners told of what the orchestrator does, in the order they were added */
    public List<PipelineListener> listeners() {
        return listeners;
    }

    /** @return the interceptors wrapped around every hook call, outermost first */
    public List<HookInterceptor> interceptors() {
        return interceptors;
    }

    /** @return the recurring starts: those registered in code, then those of {@code @Pipeline(schedule = ...)} */
    public List<Schedule> schedules() {
        return schedules;
    }

    /** @return the concurrency and rate limits of queues of pipelines, as registered */
    public List<Limit> limits() {
        return limits;
    }

    /** @return the pipeline names this orchestrator claims and runs from the store; empty for every name */
    public Set<String> onlyPipelines() {
        return onlyPipelines;
    }

    /** @return how long ended pipelines are kept before retention purges them, or null: kept for ever */
    public Duration retention() {
        return retention;
    }

    Definitions definitions() {
        return definitions;
    }

    /** Collects settings, each checked at once. Not thread-safe; {@link #build()} may be called again. */
    public static final class Builder {
        private IRepository repository;
        private final Set<String> packages = new LinkedHashSet<>();
        private final Set<Class<?>> classes = new LinkedHashSet<>();
        private final List<PipelineDefinition> defined = new ArrayList<>();
        private StepFactory stepFactory;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Duration claimDuration = DEFAULT_CLAIM_DURATION;
        private Clock clock = Clock.systemUTC();
        private boolean clockSet;
        private Boolean storeClock;
        private String orchestratorId;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration hookTimeout = DEFAULT_HOOK_TIMEOUT;
        private int maxMetadataBytes = DEFAULT_MAX_METADATA_BYTES;
        private final List<PipelineListener> listeners = new ArrayList<>();
        private final List<HookInterceptor> interceptors = new ArrayList<>();
        private final List<Schedule> schedules = new ArrayList<>();
        private final List<Limit> limits = new ArrayList<>();
        private Set<String> onlyPipelines = Set.of();
        private Duration retention;

        private Builder() {
        }

        /** Where pipelines and steps are stored. Required. */
        public Builder repository(IRepository repository) {
            this.repository = requireNonNull(repository, "repository");
            return this;
        }

        /**
         * Packages scanned (with sub-packages) for {@code @Pipeline} and {@code @Step} classes. May be combined with
         * {@link #register}. A package in which nothing is found is reported by {@link #build()}.
         * @throws NullPointerException if {@code packageNames} or one of them is null
         * @throws IllegalArgumentException if a name is blank or not a Java package name
         */
        public Builder scanPackages(String... packageNames) {
            packages.addAll(Settings.packageNames(packageNames));
            return this;
        }

        /** Classes registered explicitly: {@code @Pipeline} classes (their steps come along) or {@code @Step} ones. */
        public Builder register(Class<?>... types) {
            for (Class<?> type : requireNonNull(types, "types")) {
                classes.add(requireNonNull(type, "registered class"));
            }
            return this;
        }

        /** Adds a pipeline defined in code ({@link PipelineDefinition}). */
        public Builder definition(PipelineDefinition definition) {
            defined.add(requireNonNull(definition, "definition"));
            return this;
        }

        /** Creates step instances, e.g. {@code ctx::getBean}. Default: a new one per hook call (no-arg constructor). */
        public Builder stepFactory(StepFactory factory) {
            this.stepFactory = requireNonNull(factory, "stepFactory");
            return this;
        }

        /** The retry policy of steps whose {@code @Step} does not override it. Default: {@link RetryPolicy#DEFAULT}. */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = requireNonNull(policy, "retryPolicy");
            return this;
        }

        /**
         * How long a claim lasts; renewed at half-time while the run is in flight, taken over by another orchestrator
         * once expired. Default: {@link #DEFAULT_CLAIM_DURATION}.
         * @throws IllegalArgumentException if it is shorter than 100 ms
         */
        public Builder claimDuration(Duration duration) {
            this.claimDuration = atLeast(duration, 100, "claimDuration");
            return this;
        }

        /**
         * The local clock for timestamps, due times and claim expiry. Default: {@link Clock#systemUTC()}. Setting it
         * also turns {@link #storeClock} off unless that is set explicitly, so a test's settable clock is obeyed.
         */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            this.clockSet = true;
            return this;
        }

        /**
         * Whether time follows the store's clock when it has one ({@link IRepository#currentTime()}, read every 10 s),
         * so skewed JVM clocks never disagree about whose claim expired. Default: true, unless {@link #clock} was set.
         */
        public Builder storeClock(boolean use) {
            this.storeClock = use;
            return this;
        }

        /**
         * The id this orchestrator claims pipelines under, unique per orchestrator. Default: {@code pid@host} + random.
         * @throws IllegalArgumentException if it is blank or longer than 200 characters
         */
        public Builder orchestratorId(String id) {
            this.orchestratorId = Settings.orchestratorId(id);
            return this;
        }

        /**
         * How many pipelines a pass claims at a time (bounds its memory). Default: {@link #DEFAULT_BATCH_SIZE}.
         * @throws IllegalArgumentException if not in [1, 10000]
         */
        public Builder batchSize(int size) {
            this.batchSize = within(size, 1, 10_000, "batchSize");
            return this;
        }

        /**
         * How many threads run hooks. Default: {@link #DEFAULT_WORKER_THREADS}.
         * @throws IllegalArgumentException if not in [1, 1000]
         */
        public Builder workerThreads(int threads) {
            this.workerThreads = within(threads, 1, 1000, "workerThreads");
            return this;
        }

        /**
         * How long {@link Orchestrator#close()} waits for hooks in flight before interrupting them. Default:
         * {@link #DEFAULT_SHUTDOWN_TIMEOUT}.
         * @throws IllegalArgumentException if it is negative
         */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = atLeast(timeout, 0, "shutdownTimeout");
            return this;
        }

        /**
         * How long one hook call may run before it is abandoned (interrupted, its attempt failed and retried; a hook
         * that ignores the interrupt keeps its thread until it returns). {@code @Step(timeoutMillis = ...)} overrides
         * it. Default: {@link #DEFAULT_HOOK_TIMEOUT}.
         * @throws IllegalArgumentException if it is shorter than 1 ms
         */
        public Builder hookTimeout(Duration timeout) {
            this.hookTimeout = atLeast(timeout, 1, "hookTimeout");
            return this;
        }

        /**
         * The most JSON bytes one record's metadata may hold, checked before writing (a hook that leaves more fails its
         * attempt; a larger start input is refused). Default: {@link #DEFAULT_MAX_METADATA_BYTES}.
         * @throws IllegalArgumentException if {@code bytes} is not positive (the message says "in [1, ...]")
         */
        public Builder maxMetadataBytes(int bytes) {
            this.maxMetadataBytes = within(bytes, 1, Integer.MAX_VALUE, "maxMetadataBytes");
            return this;
        }

        /** Adds a listener told of every committed transition, hook call, claim and group write, in the order added. */
        public Builder listener(PipelineListener listener) {
            listeners.add(requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds an interceptor wrapped around every hook call (tracing, context). The first added is outermost. */
        public Builder interceptor(HookInterceptor interceptor) {
            interceptors.add(requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** Adds a recurring start: one pipeline per tick across all orchestrators ({@link Schedule}). Default: none. */
        public Builder schedule(Schedule schedule) {
            schedules.add(requireNonNull(schedule, "schedule"));
            return this;
        }

        /** Adds a queue limit ({@link Limit}); give every orchestrator of a store the same. Default: none. */
        public Builder limit(Limit limit) {
            limits.add(requireNonNull(limit, "limit"));
            return this;
        }

        /**
         * Limits the pipelines this orchestrator claims from the store to these names, so that orchestrators in
         * separate processes own independent workflows; pipelines it starts itself still run on it. Replaces an
         * earlier call; {@link #build()} reports names not registered, and a {@link Limit} queue that holds some of
         * these names and some others. Default: every name.
         * @throws IllegalArgumentException if no name is given or one is blank
         */
        public Builder onlyPipelines(String... names) {
            this.onlyPipelines = Settings.pipelineNames(names);
            return this;
        }

        /**
         * Purges ended pipelines, with their steps, signals and history, once last updated longer ago than {@code age}:
         * in bounded batches while the orchestrator polls or passes (see docs/operations.md). Default: off.
         * @throws NullPointerException if {@code age} is null
         * @throws IllegalArgumentException if it is shorter than 1 minute
         */
        public Builder retention(Duration age) {
            this.retention = atLeast(age, 60_000, "retention");
            return this;
        }

        /**
         * @return the immutable configuration, every pipeline and step class scanned and validated with the settings
         * @throws ConfigurationException listing every problem found, each naming the class or setting at fault
         */
        public OrchestratorConfig build() {
            return new OrchestratorConfig(this, Validation.check(repository != null, packages, classes, defined,
                    retryPolicy, hookTimeout, stepFactory == null, schedules, limits, onlyPipelines));
        }
    }
}
