package io.prorch.internal.registry;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Pipeline;
import io.prorch.RetryPolicy;
import io.prorch.Step;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds {@code @Pipeline} and {@code @Step} classes (ClassGraph for packages, plus explicitly registered classes)
 * and validates them, collecting every problem instead of stopping at the first.
 */
public final class DefinitionScanner {
    private final RetryPolicy defaultRetry;
    private final Duration defaultTimeout;
    private final boolean defaultFactory;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, PipelineDefinition> pipelinesByName = new LinkedHashMap<>();
    private final Map<Class<?>, PipelineDefinition> pipelinesByClass = new LinkedHashMap<>();
    private final Map<String, StepDefinition> stepsByName = new LinkedHashMap<>();
    private final Map<Class<?>, StepDefinition> stepsByClass = new LinkedHashMap<>();

    /**
     * @param defaultRetry the configured retry policy, to which {@code @Step} overrides apply
     * @param defaultTimeout the configured hook timeout, which {@code @Step(timeoutMillis)} overrides
     * @param defaultFactory true if steps are created through their public no-arg constructor (then it must exist)
     */
    public DefinitionScanner(RetryPolicy defaultRetry, Duration defaultTimeout, boolean defaultFactory) {
        this.defaultRetry = defaultRetry;
        this.defaultTimeout = defaultTimeout;
        this.defaultFactory = defaultFactory;
    }

    /** @return the problems found so far, in order; empty if everything was valid */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** @return the definitions found (only meaningful when {@link #problems()} is empty) */
    public Definitions definitions() {
        return new Definitions(pipelinesByName, pipelinesByClass, stepsByName);
    }

    /** Scans {@code packages} (recursively) and registers every annotated class found. */
    public DefinitionScanner scanPackages(List<String> packages) {
        if (packages.isEmpty()) {
            return this;
        }
        Set<Class<?>> found = new LinkedHashSet<>();
        try (ScanResult scan = new ClassGraph().enableClassInfo().enableAnnotationInfo()
                .acceptPackages(packages.toArray(String[]::new)).scan()) {
            List<ClassInfo> annotated = new ArrayList<>(scan.getClassesWithAnnotation(Pipeline.class.getName()));
            annotated.addAll(scan.getClassesWithAnnotation(Step.class.getName()));
            for (String pkg : packages) {
                if (annotated.stream().noneMatch(c -> c.getName().startsWith(pkg + "."))) {
                    problems.add("package \"" + pkg + "\" contains no @Pipeline or @Step class; check its name"
                            + " (scanning includes sub-packages) and that its classes are on the classpath");
                }
            }
            for (ClassInfo info : annotated) {
                try {
                    found.add(info.loadClass());
                } catch (RuntimeException | LinkageError e) {
                    problems.add(info.getName() + ": cannot be loaded (" + e + ")");
                }
            }
        }
        return register(List.copyOf(found));
    }

    /** Registers classes given explicitly; each must be annotated {@code @Pipeline} or {@code @Step}. */
    public DefinitionScanner register(List<Class<?>> classes) {
        for (Class<?> type : classes) {
            boolean pipeline = type.isAnnotationPresent(Pipeline.class);
            boolean step = type.isAnnotationPresent(Step.class);
            if (pipeline && step) {
                problems.add(type.getName() + ": annotated both @Pipeline and @Step; use separate classes");
            } else if (pipeline) {
                addPipeline(type);
            } else if (step) {
                addStep(type);
            } else {
                problems.add(type.getName() + ": registered but annotated neither @Pipeline nor @Step");
            }
        }
        return this;
    }

    private void addPipeline(Class<?> type) {
        if (pipelinesByClass.containsKey(type)) {
            return;
        }
        Pipeline annotation = type.getAnnotation(Pipeline.class);
        String name = nameOf(annotation.name(), type, "@Pipeline");
        List<StepDefinition> steps = new ArrayList<>();
        if (annotation.steps().length == 0) {
            problems.add(type.getName() + ": pipeline \"" + name
                    + "\" has no steps; list at least one in @Pipeline(steps = ...)");
        }
        for (Class<?> stepType : annotation.steps()) {
            if (!stepType.isAnnotationPresent(Step.class)) {
                problems.add(stepType.getName() + ": listed in pipeline \"" + name + "\" but not annotated @Step");
                continue;
            }
            StepDefinition step = addStep(stepType);
            if (step != null) {
                steps.add(step);
            }
        }
        PipelineDefinition definition = new PipelineDefinition(name == null ? type.getSimpleName() : name, type, steps);
        PipelineDefinition previous = pipelinesByName.putIfAbsent(definition.name(), definition);
        if (previous != null) {
            problems.add("two pipelines named \"" + definition.name() + "\" (" + previous.type().getName() + ", "
                    + type.getName() + "); give one another @Pipeline(name = ...)");
        }
        pipelinesByClass.put(type, definition);
    }

    private StepDefinition addStep(Class<?> type) {
        if (stepsByClass.containsKey(type)) {
            return stepsByClass.get(type);
        }
        Step annotation = type.getAnnotation(Step.class);
        String name = nameOf(annotation.name(), type, "@Step");
        boolean onStart = OnStart.class.isAssignableFrom(type);
        boolean onContinue = OnContinue.class.isAssignableFrom(type);
        if (!onStart && !onContinue) {
            problems.add(type.getName() + ": annotated @Step but implements neither OnStart nor OnContinue");
        }
        if (defaultFactory) {
            checkConstructor(type);
        }
        StepDefinition definition = new StepDefinition(name == null ? type.getSimpleName() : name, type, onStart,
                onContinue, retryPolicy(type, annotation), timeout(type, annotation), deadline(type, annotation),
                null);
        stepsByClass.put(type, definition);
        StepDefinition previous = stepsByName.putIfAbsent(definition.name(), definition);
        if (previous != null) {
            problems.add("two steps named \"" + definition.name() + "\" (" + previous.type().getName() + ", "
                    + type.getName() + "); step names are stored, so they must be unique: give one another"
                    + " @Step(name = ...)");
        }
        return definition;
    }

    private String nameOf(String declared, Class<?> type, String annotation) {
        if (declared.isEmpty()) {
            return type.getSimpleName();
        }
        if (declared.isBlank() || !declared.equals(declared.trim())) {
            problems.add(type.getName() + ": " + annotation + "(name = \"" + declared
                    + "\") must not be blank or start or end with spaces");
            return null;
        }
        return declared;
    }

    private void checkConstructor(Class<?> type) {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            problems.add(type.getName() + ": is abstract, so it cannot be instantiated; make it concrete or"
                    + " configure a stepFactory(...)");
            return;
        }
        if (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
            problems.add(type.getName() + ": is an inner class; make it a static nested or top-level class");
            return;
        }
        try {
            Constructor<?> constructor = type.getConstructor();
            if (!Modifier.isPublic(type.getModifiers())) {
                problems.add(type.getName() + ": is not public; make the class public or configure a"
                        + " stepFactory(...)");
            } else if (!Modifier.isPublic(constructor.getModifiers())) {
                problems.add(type.getName() + ": has no public no-arg constructor; add one or configure a"
                        + " stepFactory(...)");
            }
        } catch (NoSuchMethodException e) {
            problems.add(type.getName() + ": has no public no-arg constructor; add one or configure a"
                    + " stepFactory(...)");
        }
    }

    private Duration timeout(Class<?> type, Step annotation) {
        if (annotation.timeoutMillis() == -1) {
            return defaultTimeout;
        }
        if (annotation.timeoutMillis() < 1) {
            problems.add(type.getName() + ": @Step(timeoutMillis = " + annotation.timeoutMillis()
                    + ") must be at least 1, or -1 for the configured hookTimeout");
            return defaultTimeout;
        }
        return Duration.ofMillis(annotation.timeoutMillis());
    }

    private Duration deadline(Class<?> type, Step annotation) {
        String text = annotation.deadline();
        if (text.isEmpty()) {
            return null;
        }
        try {
            Duration deadline = Duration.parse(text);
            if (deadline.isNegative() || deadline.isZero()) {
                problems.add(type.getName() + ": @Step(deadline = \"" + text + "\") must be positive");
                return null;
            }
            return deadline;
        } catch (java.time.format.DateTimeParseException e) {
            problems.add(type.getName() + ": @Step(deadline = \"" + text + "\") is not an ISO-8601 duration; write"
                    + " it like \"PT72H\", \"P3D\" or \"PT30M\", or leave it empty for no deadline");
            return null;
        }
    }

    private RetryPolicy retryPolicy(Class<?> type, Step annotation) {
        RetryPolicy policy = defaultRetry;
        if (annotation.maxAttempts() != -1) {
            if (annotation.maxAttempts() < 1) {
                problems.add(type.getName() + ": @Step(maxAttempts = " + annotation.maxAttempts()
                        + ") must be at least 1, or -1 for the configured default");
            } else {
                policy = policy.withMaxAttempts(annotation.maxAttempts());
            }
        }
        if (annotation.initialBackoffMillis() != -1) {
            if (annotation.initialBackoffMillis() < 0) {
                problems.add(type.getName() + ": @Step(initialBackoffMillis = " + annotation.initialBackoffMillis()
                        + ") must not be negative, or -1 for the configured default");
            } else {
                policy = policy.withInitialBackoff(Duration.ofMillis(annotation.initialBackoffMillis()));
            }
        }
        return policy;
    }
}
