package io.prorch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A pipeline defined in code or data rather than by annotated classes: a name, a version and steps whose hooks are
 * objects. Register it with {@link OrchestratorConfig.Builder#definition} or, at runtime,
 * {@link Orchestrator#define}; it is validated like a scanned {@code @Pipeline}.
 *
 * <pre>{@code
 * PipelineDefinition textFlow = PipelineDefinition.builder("process-text")
 *         .version(2)
 *         .step("upper", (OnStart) ctx -> ctx.metadata().put("called", true))
 *         .step("reverse", new ReverseHooks())          // implements OnStart and/or OnContinue
 *         .build();
 * }</pre>
 *
 * <p>New starts use the version defined last. A run records the version it started with (pipeline metadata key {@value #VERSION_KEY}) and keeps running that
 * version's steps while newer versions are defined; a run whose version is no longer defined is set aside until it
 * is. Hook objects are shared by every call of every run: they must be thread-safe. Immutable.
 */
public final class PipelineDefinition {
    /** The pipeline metadata key under which a run records the version of its definition. */
    public static final String VERSION_KEY = "_prorch.version";
    /** The longest pipeline or step name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 200;

    private final String name;
    private final int version;
    private final List<StepSpec> steps;

    private PipelineDefinition(String name, int version, List<StepSpec> steps) {
        this.name = name;
        this.version = version;
        this.steps = List.copyOf(steps);
    }

    /**
     * @param name the pipeline's stored name; 1 to {@value #MAX_NAME_LENGTH} characters, no leading or trailing space
     * @return a new builder, version 1 and no steps
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank, padded or too long
     */
    public static Builder builder(String name) {
        return new Builder(checkName(name, "pipeline name"));
    }

    /** @return the pipeline's stored name */
    public String name() {
        return name;
    }

    /** @return the version, at least 1 */
    public int version() {
        return version;
    }

    /** @return the steps in order, at least one */
    public List<StepSpec> steps() {
        return steps;
    }

    @Override
    public String toString() {
        return "PipelineDefinition[" + name + " v" + version + ", steps "
                + steps.stream().map(StepSpec::name).toList() + "]";
    }

    private static String checkName(String value, String what) {
        requireNonNull(value, what);
        if (value.isBlank() || !value.equals(value.strip()) || value.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_NAME_LENGTH + " characters, not blank,"
                    + " without leading or trailing spaces, but was \"" + value + "\"");
        }
        return value;
    }

    /**
     * One step of a defined pipeline.
     *
     * @param name the step's stored name, unique within its pipeline
     * @param hooks an object implementing {@link OnStart}, {@link OnContinue} or both; shared by every call
     * @param retryPolicy the step's retry policy, or null for the orchestrator's
     * @param timeout how long one hook call may run, or null for the orchestrator's {@code hookTimeout}
     */
    public record StepSpec(String name, Object hooks, RetryPolicy retryPolicy, Duration timeout) {
        /**
         * Checks the step at once.
         *
         * @throws NullPointerException if {@code name} or {@code hooks} is null
         * @throws IllegalArgumentException if the name is blank, padded or too long, {@code hooks} implements neither
         *     hook, or {@code timeout} is shorter than 1 ms
         */
        public StepSpec {
            checkName(name, "step name");
            requireNonNull(hooks, "hooks of step \"" + name + "\"");
            if (!(hooks instanceof OnStart) && !(hooks instanceof OnContinue)) {
                throw new IllegalArgumentException("hooks of step \"" + name + "\" (" + hooks.getClass().getName()
                        + ") implement neither OnStart nor OnContinue; pass an object that implements one or both");
            }
            if (timeout != null && timeout.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("timeout of step \"" + name + "\" must be at least 1 ms, but was "
                        + timeout);
            }
        }
    }

    /** Collects a definition; each method checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private int version = 1;
        private final List<StepSpec> steps = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /**
         * The definition's version; a new version of a running pipeline leaves runs in flight on theirs. Default: 1.
         *
         * @throws IllegalArgumentException if {@code version} is less than 1
         */
        public Builder version(int version) {
            if (version < 1) {
                throw new IllegalArgumentException("version of pipeline \"" + name + "\" must be at least 1, but was "
                        + version);
            }
            this.version = version;
            return this;
        }

        /**
         * Adds a step with the orchestrator's retry policy and hook timeout.
         *
         * @param hooks implements {@link OnStart}, {@link OnContinue} or both; thread-safe
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException as {@link StepSpec#StepSpec} does
         */
        public Builder step(String stepName, Object hooks) {
            return step(new StepSpec(stepName, hooks, null, null));
        }

        /**
         * Adds a step.
         *
         * @throws NullPointerException if {@code step} is null
         */
        public Builder step(StepSpec step) {
            steps.add(requireNonNull(step, "step"));
            return this;
        }

        /**
         * @return the definition
         * @throws ConfigurationException listing every problem: no steps, two steps of one name
         */
        public PipelineDefinition build() {
            List<String> problems = new ArrayList<>();
            if (steps.isEmpty()) {
                problems.add("pipeline \"" + name + "\" has no steps; add at least one with step(name, hooks)");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (StepSpec step : steps) {
                if (!seen.add(step.name())) {
                    problems.add("pipeline \"" + name + "\": two steps named \"" + step.name()
                            + "\"; step names are stored, so they must be unique within a pipeline");
                }
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return new PipelineDefinition(name, version, steps);
        }
    }
}
