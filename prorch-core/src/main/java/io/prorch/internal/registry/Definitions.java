package io.prorch.internal.registry;

import io.prorch.RetryPolicy;
import io.prorch.repository.PipelineRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * Every pipeline and step an orchestrator knows: the scanned classes (fixed) by name and by class, and the defined
 * pipelines by name and version (added to at runtime). Thread-safe.
 */
public final class Definitions {
    private final Map<String, PipelineDefinition> pipelinesByName;
    private final Map<Class<?>, PipelineDefinition> pipelinesByClass;
    private final Map<String, StepDefinition> stepsByName;
    private final Map<String, NavigableMap<Integer, PipelineDefinition>> defined = new ConcurrentHashMap<>();
    private final Map<String, PipelineDefinition> current = new ConcurrentHashMap<>();

    Definitions(Map<String, PipelineDefinition> pipelinesByName, Map<Class<?>, PipelineDefinition> pipelinesByClass,
                Map<String, StepDefinition> stepsByName) {
        this.pipelinesByName = Map.copyOf(pipelinesByName);
        this.pipelinesByClass = Map.copyOf(pipelinesByClass);
        this.stepsByName = Map.copyOf(stepsByName);
    }

    /** @return a copy whose later definitions do not reach this one (each orchestrator defines into its own) */
    public Definitions copy() {
        Definitions copy = new Definitions(pipelinesByName, pipelinesByClass, stepsByName);
        defined.forEach((name, versions) -> copy.defined.put(name, new ConcurrentSkipListMap<>(versions)));
        copy.current.putAll(current);
        return copy;
    }

    /**
     * Validates a defined pipeline against everything known and adds it if it is valid.
     *
     * @return every problem found; empty if it was added
     */
    public synchronized List<String> define(io.prorch.PipelineDefinition definition, RetryPolicy defaultRetry,
                                            Duration defaultTimeout) {
        List<String> problems = new ArrayList<>();
        String name = definition.name();
        if (pipelinesByName.containsKey(name)) {
            problems.add("pipeline \"" + name + "\" is defined in code and also by @Pipeline class "
                    + pipelinesByName.get(name).type().getName() + "; rename one of them");
        }
        NavigableMap<Integer, PipelineDefinition> versions = defined.get(name);
        if (versions != null && versions.containsKey(definition.version())) {
            problems.add("pipeline \"" + name + "\" version " + definition.version() + " is already defined (runs in"
                    + " flight may use it); give the changed definition another version, e.g. "
                    + (versions.lastKey() + 1));
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        List<StepDefinition> steps = definition.steps().stream().map(s -> new StepDefinition(s.name(),
                s.hooks().getClass(), s.hooks() instanceof io.prorch.OnStart,
                s.hooks() instanceof io.prorch.OnContinue, s.retryPolicy() != null ? s.retryPolicy() : defaultRetry,
                s.timeout() != null ? s.timeout() : defaultTimeout, null, s.hooks())).toList();
        PipelineDefinition added = new PipelineDefinition(name, null, steps, definition.version());
        defined.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>()).put(definition.version(), added);
        current.put(name, added);
        return problems;
    }

    /** @return the pipeline stored under {@code name}: its class, or the version defined last */
    public Optional<PipelineDefinition> pipeline(String name) {
        PipelineDefinition scanned = pipelinesByName.get(name);
        return Optional.ofNullable(scanned != null ? scanned : current.get(name));
    }

    /** @return the pipeline defined by {@code type} */
    public Optional<PipelineDefinition> pipeline(Class<?> type) {
        return Optional.ofNullable(pipelinesByClass.get(type));
    }

    /** @return the {@code @Step} class stored under {@code name} */
    public Optional<StepDefinition> step(String name) {
        return Optional.ofNullable(stepsByName.get(name));
    }

    /**
     * @return the step named {@code name} of the run {@code pipeline}: of the version it started with if its pipeline
     *     is defined in code, else the {@code @Step} class of that name
     */
    public Optional<StepDefinition> step(PipelineRecord pipeline, String name) {
        NavigableMap<Integer, PipelineDefinition> versions = defined.get(pipeline.name());
        if (versions == null) {
            return step(name);
        }
        PipelineDefinition version = versions.get(versionOf(pipeline));
        return version == null ? Optional.empty()
                : version.steps().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** @return why the run's defined version is unknown here, or null if it is known or the pipeline is a class */
    public String missingVersion(PipelineRecord pipeline) {
        NavigableMap<Integer, PipelineDefinition> versions = defined.get(pipeline.name());
        int version = versionOf(pipeline);
        if (versions == null || versions.containsKey(version)) {
            return null;
        }
        return "pipeline \"" + pipeline.name() + "\" version " + version + " (metadata "
                + io.prorch.PipelineDefinition.VERSION_KEY + ") is not defined here (defined: " + versions.keySet()
                + "); it resumes once that version is defined again";
    }

    private static int versionOf(PipelineRecord pipeline) {
        Object version = pipeline.metadata().get(io.prorch.PipelineDefinition.VERSION_KEY);
        return version instanceof Number n ? n.intValue() : 1;
    }

    /** @return every pipeline class and every defined version */
    public Collection<PipelineDefinition> pipelines() {
        return Stream.concat(pipelinesByName.values().stream(),
                defined.values().stream().flatMap(v -> v.values().stream())).toList();
    }

    /** @return every step: the {@code @Step} classes and the steps of every defined version */
    public Collection<StepDefinition> steps() {
        return Stream.concat(stepsByName.values().stream(),
                defined.values().stream().flatMap(v -> v.values().stream()).flatMap(p -> p.steps().stream())).toList();
    }

    /** @return the names of all pipelines, sorted, for messages */
    public String pipelineNames() {
        TreeSet<String> names = new TreeSet<>(pipelinesByName.keySet());
        names.addAll(defined.keySet());
        return names.toString();
    }
}
