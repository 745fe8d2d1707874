package io.prorch.services;

import static java.util.Objects.requireNonNull;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PipelineDefinition;
import io.prorch.PipelineView;
import io.prorch.RetryPolicy;
import io.prorch.Starter;
import io.prorch.Status;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Services and workflows defined as data (machinery's JSON), run as prorch pipelines whose steps call the services
 * over HTTP. Register definitions, add the workflows to the orchestrator's configuration, bind the orchestrator, then
 * submit events:
 *
 * <pre>{@code
 * Services services = Services.builder().callbackBase(URI.create("http://127.0.0.1:8080")).build();
 * services.load(Path.of("definitions"));                     // service-*.json and workflow-*.json
 * Orchestrator orchestrator = new Orchestrator(services.configure(OrchestratorConfig.builder()
 *         .repository(repository)).build());
 * services.bind(orchestrator);
 * orchestrator.startPolling(Duration.ofMillis(200));          // retries and callbacks need passes
 * Event event = services.submit("process-text", Map.of("message", "The Sun will rise"), null);
 * }</pre>
 *
 * <p>Thread-safe. Definitions live in memory: register them again after a restart (the same definitions give the
 * same pipeline versions, so runs in flight go on).
 */
public final class Services {
    /** Default connect timeout of service calls: 5 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default time a call may wait for its answer: 30 seconds. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** Default time a step waits for the callback of a service that answered {@code 202}: 1 hour. */
    public static final Duration DEFAULT_CALLBACK_DEADLINE = Duration.ofHours(1);
    /** Default retries of a call: 8 attempts, backoff from 200 ms doubling up to 30 s. */
    public static final RetryPolicy DEFAULT_RETRY_POLICY =
            RetryPolicy.exponential(8, Duration.ofMillis(200), Duration.ofSeconds(30));

    private final CallSettings settings;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final Map<String, ServiceDefinition> services = new LinkedHashMap<>();
    private final Map<String, WorkflowDefinition> workflows = new LinkedHashMap<>();
    private final Map<String, PipelineDefinition> pipelines = new LinkedHashMap<>();
    private final Set<String> known = new HashSet<>();
    private Orchestrator orchestrator;

    private Services(Builder b) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                .version(HttpClient.Version.HTTP_1_1).build();
        this.settings = new CallSettings(client, b.readTimeout, b.callbackBase, b.callbackDeadline);
        this.retryPolicy = b.retryPolicy;
        this.clock = b.clock;
    }

    /** @return a builder with every default set */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers a service, or replaces the one of the same name; the workflows that call it get a new version.
     *
     * @throws NullPointerException if {@code service} is null
     * @throws DefinitionException listing every problem, the workflows it would break included; nothing changed
     */
    public synchronized Registration registerService(ServiceDefinition service) {
        requireNonNull(service, "service");
        List<String> problems = new ArrayList<>(Validator.service(service));
        Map<String, ServiceDefinition> next = new LinkedHashMap<>(services);
        next.put(service.name(), service);
        if (problems.isEmpty()) {
            workflows.values().stream().filter(w -> w.services().contains(service.name()))
                    .forEach(w -> problems.addAll(Validator.workflow(w, next)));
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        services.put(service.name(), service);
        List.copyOf(workflows.values()).stream().filter(w -> w.services().contains(service.name()))
                .forEach(this::install);
        return new Registration(service.name(), 0, clock.instant());
    }

    /**
     * Registers a workflow, or a new version of the one of the same name (runs in flight keep theirs).
     *
     * @throws NullPointerException if {@code workflow} is null
     * @throws DefinitionException listing every problem: unknown services and types, inputs nothing provides, type
     *     mismatches, duplicate field names; nothing changed
     */
    public synchronized Registration registerWorkflow(WorkflowDefinition workflow) {
        requireNonNull(workflow, "workflow");
        List<String> problems = Validator.workflow(workflow, services);
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        return new Registration(workflow.name(), install(workflow).version(), clock.instant());
    }

    /**
     * Registers every {@code *.json} file of {@code directory} (not recursive): a document with {@code "address"} is a
     * service, one with {@code "services"} a workflow; services first. All problems of all files in one exception.
     *
     * @return what was registered, services first
     * @throws NullPointerException if {@code directory} is null
     * @throws UncheckedIOException if the directory cannot be read
     * @throws DefinitionException listing every problem, each naming its file; nothing was registered
     */
    public synchronized List<Registration> load(Path directory) {
        DefinitionFiles loaded = DefinitionFiles.read(directory, services);
        List<Registration> done = new ArrayList<>();
        loaded.services().forEach(service -> done.add(registerService(service)));
        loaded.workflows().forEach(workflow -> done.add(registerWorkflow(workflow)));
        return done;
    }

    /** @return the registered services by name */
    public synchronized Map<String, ServiceDefinition> services() {
        return Map.copyOf(services);
    }

    /** @return the registered workflows (their latest versions) by name */
    public synchronized Map<String, WorkflowDefinition> workflows() {
        return Map.copyOf(workflows);
    }

    /** @return true if a workflow of this name is registered (without copying the registry, as {@link #workflows}) */
    synchronized boolean hasWorkflow(String name) {
        return workflows.containsKey(name);
    }

    /**
     * Adds the pipelines of every workflow registered so far to an orchestrator's configuration.
     *
     * @return {@code config}
     * @throws NullPointerException if {@code config} is null
     */
    public synchronized OrchestratorConfig.Builder configure(OrchestratorConfig.Builder config) {
        requireNonNull(config, "config");
        pipelines.values().forEach(config::definition);
        return config;
    }

    /**
     * Binds the orchestrator that runs the workflows and starts events; workflows registered from now on are defined
     * in it at once. Call once, with an orchestrator built from {@link #configure}.
     *
     * @throws NullPointerException if {@code orchestrator} is null
     * @throws IllegalStateException if one is already bound
     */
    public synchronized void bind(Orchestrator orchestrator) {
        requireNonNull(orchestrator, "orchestrator");
        if (this.orchestrator != null) {
            throw new IllegalStateException("Services are already bound to orchestrator " + this.orchestrator.id());
        }
        this.orchestrator = orchestrator;
        pipelines.values().forEach(p -> {
            try {
                orchestrator.define(p);
            } catch (io.prorch.ConfigurationException alreadyConfigured) {
                // built from configure(): this version is there already
            }
        });
    }

    /**
     * Starts an event: the workflow's pipeline, with {@code data} as its inputs. Returns once the start is saved.
     *
     * @param data the event's data; must hold every workflow input with its type (other keys are dropped)
     * @param idempotencyKey at most one event per key (a retried POST), or null
     * @return the event, {@code pending}
     * @throws NullPointerException if {@code workflow} or {@code data} is null
     * @throws IllegalArgumentException if no workflow has that name
     * @throws EventDataException listing every field of {@code data} at fault; nothing was started
     * @throws IllegalStateException if no orchestrator is bound
     */
    public Event submit(String workflow, Map<String, ?> data, String idempotencyKey) {
        requireNonNull(workflow, "workflow");
        requireNonNull(data, "data");
        WorkflowDefinition definition;
        Orchestrator bound;
        synchronized (this) {
            definition = workflows.get(workflow);
            bound = orchestrator;
        }
        if (definition == null) {
            throw new IllegalArgumentException("No workflow named \"" + workflow + "\"; register it first");
        }
        if (bound == null) {
            throw new IllegalStateException("no orchestrator bound; call bind(orchestrator) first");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) data;
        List<String> errors = Validator.data(definition, values);
        if (!errors.isEmpty()) {
            throw new EventDataException(errors);
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        definition.inputs().forEach(f -> inputs.put(f.name(), data.get(f.name())));
        Starter starter = bound.starter(workflow).input(Map.of(ServiceCall.DATA, inputs));
        if (idempotencyKey != null) {
            starter.idempotencyKey(idempotencyKey);
        }
        UUID id = starter.start();
        return new Event(id, workflow, clock.instant(), Status.PENDING, Map.of(), null);
    }

    /**
     * @return the event with this id: its status, and its outputs once finished or its error; empty if no event of
     *     a workflow registered here has it
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalStateException if no orchestrator is bound
     */
    public Optional<Event> event(UUID id) {
        requireNonNull(id, "id");
        Orchestrator bound = bound();
        Optional<PipelineView> view = bound.find(id);
        synchronized (this) {
            view = view.filter(v -> known.contains(v.name()));
        }
        return view.map(v -> WorkflowPipelines.event(v, clock.instant()));
    }

    /**
     * Delivers the callback of a service that answered {@code 202}: a signal to the waiting step, stored at most once
     * per step (a repeated callback returns the first one's id).
     *
     * @param eventId the event (pipeline) id from the callback URL
     * @param step the step name from the callback URL
     * @param outputs the service's outputs, as it would have answered them
     * @return the signal's id
     * @throws NullPointerException if an argument is null
     * @throws io.prorch.PipelineNotFoundException if no event has this id
     * @throws io.prorch.PipelineEndedException if the event already ended
     * @throws IllegalStateException if no orchestrator is bound
     */
    public UUID deliverCallback(UUID eventId, String step, Map<String, ?> outputs) {
        requireNonNull(eventId, "eventId");
        requireNonNull(step, "step");
        requireNonNull(outputs, "outputs");
        Orchestrator bound = bound();
        String name = CallSettings.signalName(step);
        return bound.signaller(io.prorch.SignalTarget.id(eventId)).name(name).key(name).payload(outputs).send();
    }

    private synchronized Orchestrator bound() {
        if (orchestrator == null) {
            throw new IllegalStateException("no orchestrator bound; call bind(orchestrator) first");
        }
        return orchestrator;
    }

    /** @return the pipeline the workflow becomes, defined in the bound orchestrator if there is one */
    private PipelineDefinition install(WorkflowDefinition workflow) {
        PipelineDefinition built = WorkflowPipelines.pipeline(workflow, services, settings, retryPolicy);
        PipelineDefinition previous = pipelines.get(workflow.name());
        workflows.put(workflow.name(), workflow);
        known.add(workflow.name());
        pipelines.put(workflow.name(), built);
        if (orchestrator != null && (previous == null || previous.version() != built.version())) {
            try {
                orchestrator.define(built);
            } catch (io.prorch.ConfigurationException sameVersion) {
                // defined earlier with this very content (registered, changed, changed back)
            }
        }
        return built;
    }

    /** Collects the settings of service calls; each checks its value at once. Not thread-safe. */
    public static final class Builder {
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration callbackDeadline = DEFAULT_CALLBACK_DEADLINE;
        private RetryPolicy retryPolicy = DEFAULT_RETRY_POLICY;
        private URI callbackBase;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * How long a call may take to connect. Default: {@link #DEFAULT_CONNECT_TIMEOUT}.
         *
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if it is shorter than 1 ms
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * How long a call may wait for its answer; a call that waits longer is retried. Default:
         * {@link #DEFAULT_READ_TIMEOUT}.
         *
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if it is shorter than 1 ms
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        /**
         * The base URL under which services call back ({@code {base}/callbacks/{event-id}/{step}}); the
         * {@link ServicesApi} serves it. Without it, no callback URL is sent and a {@code 202} is read like any 2xx
         * answer: it must hold the outputs. Default: none.
         *
         * @throws NullPointerException if {@code base} is null
         * @throws IllegalArgumentException if it is not an absolute http(s) URL
         */
        public Builder callbackBase(URI base) {
            requireNonNull(base, "callbackBase");
            if (!base.isAbsolute() || !("http".equals(base.getScheme()) || "https".equals(base.getScheme()))) {
                throw new IllegalArgumentException("callbackBase must be an absolute http(s) URL, but was " + base);
            }
            this.callbackBase = base;
            return this;
        }

        /**
         * How long a step waits for the callback of a service that answered {@code 202}; then it fails. Default:
         * {@link #DEFAULT_CALLBACK_DEADLINE}.
         *
         * @throws NullPointerException if {@code deadline} is null
         * @throws IllegalArgumentException if it is shorter than 1 ms
         */
        public Builder callbackDeadline(Duration deadline) {
            this.callbackDeadline = positive(deadline, "callbackDeadline");
            return this;
        }

        /**
         * The retries of calls that failed on connection errors, timeouts, 429 or 5xx. Default:
         * {@link #DEFAULT_RETRY_POLICY}.
         *
         * @throws NullPointerException if {@code policy} is null
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = requireNonNull(policy, "retryPolicy");
            return this;
        }

        /**
         * The clock of ack dates. Default: {@link Clock#systemUTC()}.
         *
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** @return the configured services, with nothing registered */
        public Services build() {
            return new Services(this);
        }

        private static Duration positive(Duration value, String name) {
            requireNonNull(value, name);
            if (value.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException(name + " must be at least 1 ms, but was " + value);
            }
            return value;
        }
    }
}
