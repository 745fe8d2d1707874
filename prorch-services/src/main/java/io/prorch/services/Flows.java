package io.prorch.services;

import static java.util.Objects.requireNonNull;

import io.prorch.ConfigurationException;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PipelineDefinition;
import io.prorch.RetryPolicy;
import io.prorch.Starter;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * orch_serv's orchestrator: flows of blocks, validated up front and run as prorch pipelines.
 *
 * <pre>{@code
 * Flows flows = Flows.builder()
 *         .flow(Flow.of("Task1", service1, service2, service3))
 *         .flow(Flow.of("Task2", service2, service4, service1))
 *         .build();
 * Orchestrator orchestrator = new Orchestrator(flows.configure(OrchestratorConfig.builder()
 *         .repository(repository)).build());
 * UUID run = flows.start(orchestrator, "Task1", Map.of("text", "hello"), null);
 * }</pre>
 *
 * <p>The run's data lives in the pipeline metadata under {@code "data"}: each block's answer is folded into it, and
 * the finished pipeline holds the last. Immutable and thread-safe.
 */
public final class Flows {
    private final Map<String, Flow> flows;
    private final List<PipelineDefinition> definitions;

    private Flows(Map<String, Flow> flows, List<PipelineDefinition> definitions) {
        this.flows = Map.copyOf(flows);
        this.definitions = List.copyOf(definitions);
    }

    /** @return a builder with no flows and {@link Services}' default timeouts and retries */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the flows by name */
    public Map<String, Flow> flows() {
        return flows;
    }

    /**
     * Adds every flow's pipeline to an orchestrator's configuration.
     *
     * @return {@code config}
     * @throws NullPointerException if {@code config} is null
     */
    public OrchestratorConfig.Builder configure(OrchestratorConfig.Builder config) {
        requireNonNull(config, "config");
        definitions.forEach(config::definition);
        return config;
    }

    /**
     * Starts a flow. Returns once the start is saved.
     *
     * @param orchestrator one built from {@link #configure}
     * @param data the flow's initial data, JSON-compatible
     * @param idempotencyKey at most one run per key, or null
     * @return the run's (pipeline's) id
     * @throws NullPointerException if {@code orchestrator}, {@code flow} or {@code data} is null
     * @throws IllegalArgumentException if no flow has that name (the message lists them), or data is not JSON
     */
    public UUID start(Orchestrator orchestrator, String flow, Map<String, ?> data, String idempotencyKey) {
        requireNonNull(orchestrator, "orchestrator");
        requireNonNull(flow, "flow");
        requireNonNull(data, "data");
        if (!flows.containsKey(flow)) {
            throw new IllegalArgumentException("No flow named \"" + flow + "\"; flows: "
                    + flows.keySet().stream().sorted().toList());
        }
        Starter starter = orchestrator.starter(flow).input(Map.of(ServiceCall.DATA, new LinkedHashMap<>(data)));
        return idempotencyKey == null ? starter.start() : starter.idempotencyKey(idempotencyKey).start();
    }

    /** Collects flows and call settings. Not thread-safe. */
    public static final class Builder {
        private final List<Flow> flows = new ArrayList<>();
        private Duration connectTimeout = Services.DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = Services.DEFAULT_READ_TIMEOUT;
        private RetryPolicy retryPolicy = Services.DEFAULT_RETRY_POLICY;
        private int version = 1;

        private Builder() {
        }

        /**
         * Adds a flow.
         *
         * @throws NullPointerException if {@code flow} is null
         */
        public Builder flow(Flow flow) {
            flows.add(requireNonNull(flow, "flow"));
            return this;
        }

        /**
         * The timeouts of block calls. Defaults: {@link Services#DEFAULT_CONNECT_TIMEOUT},
         * {@link Services#DEFAULT_READ_TIMEOUT}.
         *
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if one is shorter than 1 ms
         */
        public Builder timeouts(Duration connect, Duration read) {
            requireNonNull(connect, "connect");
            requireNonNull(read, "read");
            if (connect.toMillis() < 1 || read.toMillis() < 1) {
                throw new IllegalArgumentException("timeouts must be at least 1 ms, but were " + connect + ", " + read);
            }
            this.connectTimeout = connect;
            this.readTimeout = read;
            return this;
        }

        /**
         * The retries of block calls that failed on connection errors, timeouts, 429 or 5xx. Default:
         * {@link Services#DEFAULT_RETRY_POLICY}.
         *
         * @throws NullPointerException if {@code policy} is null
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = requireNonNull(policy, "retryPolicy");
            return this;
        }

        /**
         * The version of the flows' pipelines: raise it when a flow changes, so runs in flight keep the old one
         * (define the old version too while they run). Default: 1.
         *
         * @throws IllegalArgumentException if less than 1
         */
        public Builder version(int version) {
            if (version < 1) {
                throw new IllegalArgumentException("version must be at least 1, but was " + version);
            }
            this.version = version;
            return this;
        }

        /**
         * @return the flows
         * @throws ConfigurationException listing every problem: no flows, bad or duplicate flow names, empty flows,
         *     two different blocks of one name
         */
        public Flows build() {
            List<String> problems = new ArrayList<>();
            Map<String, Flow> byName = new LinkedHashMap<>();
            Map<String, Block> blocks = new HashMap<>();
            if (flows.isEmpty()) {
                problems.add("no flows: add at least one with flow(Flow.of(name, blocks...))");
            }
            for (Flow flow : flows) {
                if (!Validator.NAME.matcher(flow.name()).matches()) {
                    problems.add("flow name \"" + flow.name() + "\" must be 1 to 100 letters, digits, '.', '_' or '-'");
                }
                if (byName.putIfAbsent(flow.name(), flow) != null) {
                    problems.add("two flows named \"" + flow.name() + "\"; flow names must be unique");
                }
                if (flow.blocks().isEmpty()) {
                    problems.add("flow \"" + flow.name() + "\" has no blocks");
                }
                for (Block block : flow.blocks()) {
                    Block seen = blocks.putIfAbsent(block.name(), block);
                    if (seen != null && !seen.equals(block)) {
                        problems.add("two different blocks named \"" + block.name() + "\" (" + seen.address() + ", "
                                + block.address() + "); give one another name");
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            CallSettings settings = new CallSettings(HttpClient.newBuilder().connectTimeout(connectTimeout)
                    .version(HttpClient.Version.HTTP_1_1).build(), readTimeout, null, readTimeout);
            List<PipelineDefinition> definitions = new ArrayList<>();
            for (Flow flow : byName.values()) {
                PipelineDefinition.Builder pipeline = PipelineDefinition.builder(flow.name()).version(version);
                Map<String, Integer> seen = new HashMap<>();
                for (Block block : flow.blocks()) {
                    int n = seen.merge(block.name(), 1, Integer::sum);
                    pipeline.step(new PipelineDefinition.StepSpec(n == 1 ? block.name() : block.name() + "#" + n,
                            new BlockCall(flow.name(), block, settings), retryPolicy, readTimeout.plusSeconds(5)));
                }
                definitions.add(pipeline.build());
            }
            return new Flows(byName, definitions);
        }
    }
}
