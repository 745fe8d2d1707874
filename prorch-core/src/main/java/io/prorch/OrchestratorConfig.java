package io.prorch;

import static io.prorch.internal.config.Settings.atLeast;
import static io.prorch.internal.config.Settings.within;
import static java.util.Objects.requireNonNull;

import io.prorch.internal.config.Settings;
import io.prorch.internal.registry.DefinitionScanner;
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
    private final Set<String> onlyPipelines;

    private OrchestratorConfig(Builder b, Definitions definitions) {
        this.repository = b.repository;
        this.definitions = definitions;
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
        this.onlyPipelines = Set.copyOf(b.onlyPipelines);
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

    /**
     * @return true if claims, due times and timestamps follow the store's clock when the repository has one
     *     ({@link IRepository#currentTime()}); {@link #clock()} is then used only until the store's time is first read
     */
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

    /** @return the pipeline names this orchestrator claims and runs from the store; empty for every name */
    public Set<String> onlyPipelines() {
        return onlyPipelines;
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
        private Set<String> onlyPipelines = Set.of();

        private Builder() {
        }

        /**
         * Where pipelines and steps are stored. Required.
         *
         * @throws NullPointerException if {@code repository} is null
         */
        public Builder repository(IRepository repository) {
            this.repository = requireNonNull(repository, "repository");
            return this;
        }

        /**
         * Packages scanned (with sub-packages) for {@code @Pipeline} and {@code @Step} classes. May be combined with
         * {@link #register}. A package in which nothing is found is reported by {@link #build()}.
         *
         * @throws NullPointerException if {@code packageNames} or one of them is null
         * @throws IllegalArgumentException if a name is blank or not a Java package name
         */
        public Builder scanPackages(String... packageNames) {
            packages.addAll(Settings.packageNames(packageNames));
            return this;
        }

        /**
         * Classes registered explicitly: {@code @Pipeline} classes (their steps come along) or {@code @Step} classes.
         *
         * @throws NullPointerException if {@code types} or one of them is null
         */
        public Builder register(Class<?>... types) {
            classes.addAll(Settings.each(types, "types", "registered class"));
            return this;
        }

        /** Adds a pipeline defined in code ({@link PipelineDefinition}). @throws NullPointerException if it is null */
        public Builder definition(PipelineDefinition definition) {
            defined.add(requireNonNull(definition, "definition"));
            return this;
        }

        /**
         * Creates step instances, e.g. {@code applicationContext::getBean}. Default: the public no-arg constructor.
         *
         * @throws NullPointerException if {@code factory} is null
         */
        public Builder stepFactory(StepFactory factory) {
            this.stepFactory = requireNonNull(factory, "stepFactory");
            return this;
        }

        /**
         * The retry policy of steps whose {@code @Step} does not override it. Default: {@link RetryPolicy#DEFAULT}.
         *
         * @throws NullPointerException if {@code policy} is null
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = requireNonNull(policy, "retryPolicy");
            return this;
        }

        /**
         * How long a claim on a pipeline lasts; renewed while the run is in flight, taken over by another orchestrator
         * once expired. Default: {@link #DEFAULT_CLAIM_DURATION}.
         *
         * @throws NullPointerException if {@code duration} is null
         * @throws IllegalArgumentException if it is shorter than 100 ms
         */
        public Builder claimDuration(Duration duration) {
            this.claimDuration = atLeast(duration, 100, "claimDuration");
            return this;
        }

        /**
         * The local clock for timestamps, due times and claims. Default: {@link Clock#systemUTC()}. Setting it turns
         * {@link #storeClock} off unless that is set explicitly.
         *
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            this.clockSet = true;
            return this;
        }

        /**
         * Whether time follows the store's clock when it has one ({@link IRepository#currentTime()}), so skewed JVM
         * clocks never disagree about whose claim expired. Default: true, unless {@link #clock} was set.
         */
        public Builder storeClock(boolean use) {
            this.storeClock = use;
            return this;
        }

        /**
         * The id this orchestrator claims pipelines under; unique per running orchestrator. Default: the JVM's
         * {@code pid@host} and a random suffix.
         *
         * @throws NullPointerException if {@code id} is null
         * @throws IllegalArgumentException if it is blank or longer than 200 characters
         */
        public Builder orchestratorId(String id) {
            this.orchestratorId = Settings.orchestratorId(id);
            return this;
        }

        /**
         * How many pipelines a pass claims at a time. Default: {@link #DEFAULT_BATCH_SIZE}.
         *
         * @throws IllegalArgumentException if not in [1, 10000]
         */
        public Builder batchSize(int size) {
            this.batchSize = within(size, 1, 10_000, "batchSize");
            return this;
        }

        /**
         * How many threads run hooks. Default: {@link #DEFAULT_WORKER_THREADS}.
         *
         * @throws IllegalArgumentException if not in [1, 1000]
         */
        public Builder workerThreads(int threads) {
            this.workerThreads = within(threads, 1, 1000, "workerThreads");
            return this;
        }

        /**
         * How long {@link Orchestrator#close()} waits for hooks in flight. Default: {@link #DEFAULT_SHUTDOWN_TIMEOUT}.
         *
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if it is negative
         */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = atLeast(timeout, 0, "shutdownTimeout");
            return this;
        }

        /**
         * How long one hook call may run before it is abandoned (interrupted; the attempt counts as failed and is
         * retried); {@code @Step(timeoutMillis = ...)} overrides it per step. Default: {@link #DEFAULT_HOOK_TIMEOUT}.
         *
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if it is shorter than 1 ms
         */
        public Builder hookTimeout(Duration timeout) {
            this.hookTimeout = atLeast(timeout, 1, "hookTimeout");
            return this;
        }

        /**
         * The most JSON bytes one record's metadata may hold, checked before writing (a hook that leaves more fails its
         * attempt; a larger start input is refused). Default: {@link #DEFAULT_MAX_METADATA_BYTES}.
         *
         * @throws IllegalArgumentException if {@code bytes} is not positive (the message says "in [1, ...]")
         */
        public Builder maxMetadataBytes(int bytes) {
            this.maxMetadataBytes = within(bytes, 1, Integer.MAX_VALUE, "maxMetadataBytes");
            return this;
        }

        /**
         * Adds a listener told of every committed transition, hook call, claim and group write, after those added
         * before. Default: none.
         *
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder listener(PipelineListener listener) {
            listeners.add(requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Adds an interceptor wrapped around every hook call (tracing, context). The first added is outermost.
         *
         * @throws NullPointerException if {@code interceptor} is null
         */
        public Builder interceptor(HookInterceptor interceptor) {
            interceptors.add(requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Limits the pipelines this orchestrator claims from the store to these names, so that orchestrators in
         * separate processes own independent workflows; pipelines it starts itself still run on it. Replaces an
         * earlier call; {@link #build()} reports names not registered. Default: every name.
         *
         * @throws NullPointerException if {@code names} or one of them is null
         * @throws IllegalArgumentException if no name is given or one is blank
         */
        public Builder onlyPipelines(String... names) {
            this.onlyPipelines = Settings.pipelineNames(names);
            return this;
        }

        /**
         * Scans the packages, validates every pipeline and step class and the settings together.
         *
         * @return the immutable configuration
         * @throws ConfigurationException listing every problem found, each naming the class or setting at fault
         */
        public OrchestratorConfig build() {
            List<String> problems = Settings.missing(repository == null,
                    packages.isEmpty() && classes.isEmpty() && defined.isEmpty());
            DefinitionScanner scanner = new DefinitionScanner(retryPolicy, hookTimeout, stepFactory == null)
                    .scanPackages(List.copyOf(packages)).register(List.copyOf(classes));
            problems.addAll(scanner.problems());
            Definitions definitions = scanner.definitions();
            defined.forEach(d -> problems.addAll(definitions.define(d, retryPolicy, hookTimeout)));
            problems.addAll(Settings.pipelineProblems(problems.isEmpty(), onlyPipelines,
                    definitions.pipelines().stream().map(p -> p.name()).toList()));
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return new OrchestratorConfig(this, definitions);
        }
    }
}
