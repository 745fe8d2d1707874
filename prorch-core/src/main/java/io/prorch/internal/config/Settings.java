package io.prorch.internal.config;

import static java.util.Objects.requireNonNull;

import io.prorch.ConfigurationException;
import io.prorch.RetryPolicy;
import io.prorch.internal.registry.DefinitionScanner;
import io.prorch.internal.registry.Definitions;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/** The checks every setting of {@code OrchestratorConfig.Builder} shares, with messages that name the value. */
public final class Settings {
    private Settings() {
    }

    /**
     * Scans the packages and classes of a builder and validates them with its settings.
     *
     * @return the pipelines and steps found
     * @throws ConfigurationException listing every problem found, each naming the class or setting at fault
     */
    public static Definitions definitions(boolean noRepository, List<String> packages, List<Class<?>> classes,
                                          RetryPolicy retryPolicy, Duration hookTimeout, boolean noStepFactory) {
        List<String> problems = new ArrayList<>();
        if (noRepository) {
            problems.add("no repository: set repository(...), e.g. InMemoryRepository.create() for tests or"
                    + " JdbcRepository.create(dataSource)");
        }
        if (packages.isEmpty() && classes.isEmpty()) {
            problems.add("no pipelines: give scanPackages(\"com.acme...\") or register(MyPipeline.class)");
        }
        DefinitionScanner scanner = new DefinitionScanner(retryPolicy, hookTimeout, noStepFactory)
                .scanPackages(packages).register(classes);
        problems.addAll(scanner.problems());
        Definitions definitions = scanner.definitions();
        if (problems.isEmpty() && definitions.pipelines().isEmpty()) {
            problems.add("no @Pipeline class found; steps alone cannot be started");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return definitions;
    }

    /**
     * @return {@code value}, if it is at least {@code minMillis}
     * @throws NullPointerException naming the setting if {@code value} is null
     * @throws IllegalArgumentException naming the setting, the bound and the value otherwise
     */
    public static Duration atLeast(Duration value, long minMillis, String name) {
        requireNonNull(value, name);
        if (value.compareTo(Duration.ofMillis(minMillis)) < 0) {
            throw new IllegalArgumentException(name + (minMillis == 0 ? " must not be negative"
                    : " must be at least " + minMillis + " ms") + ", but was " + value);
        }
        return value;
    }

    /**
     * @return {@code value}, if it is in [{@code min}, {@code max}]
     * @throws IllegalArgumentException naming the setting, the range and the value otherwise
     */
    public static int within(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], but was " + value);
        }
        return value;
    }

    /**
     * @return {@code name}, if it is a Java package name
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException naming it otherwise
     */
    public static String packageName(String name) {
        requireNonNull(name, "package name");
        if (!name.matches("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
                + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*")) {
            throw new IllegalArgumentException("scanPackages: \"" + name
                    + "\" is not a package name like \"com.acme.backup\"");
        }
        return name;
    }

    /**
     * @return {@code names}, each checked by {@link #packageName}
     * @throws NullPointerException if {@code names} or one of them is null
     */
    public static List<String> packageNames(String... names) {
        return each(names, "packageNames", "package name").stream().map(Settings::packageName).toList();
    }

    /**
     * @return {@code id}, if it has 1 to 200 characters and is not blank
     * @throws NullPointerException if {@code id} is null
     * @throws IllegalArgumentException naming it otherwise
     */
    public static String orchestratorId(String id) {
        requireNonNull(id, "orchestratorId");
        if (id.isBlank() || id.length() > 200) {
            throw new IllegalArgumentException("orchestratorId must be 1 to 200 non-blank characters, but was \""
                    + id + "\"");
        }
        return id;
    }

    /**
     * The combinations of settings that work until the day they do not, checked when an orchestrator is created.
     *
     * @param connectionLimit the store's pool size, if it has one
     * @return one sentence per risk, naming the values and the fix; empty if none
     */
    public static List<String> unsafe(int workerThreads, OptionalInt connectionLimit, Duration claimDuration) {
        List<String> problems = new ArrayList<>();
        if (connectionLimit.isPresent() && connectionLimit.getAsInt() < workerThreads + 2) {
            problems.add("the store's pool has " + connectionLimit.getAsInt() + " connection(s) for workerThreads="
                    + workerThreads + " plus the committer and the poller: hooks that use the same pool can leave the"
                    + " committer without a connection until claims expire; give the pool at least "
                    + (workerThreads + 2) + " connections, or lower workerThreads");
        }
        if (claimDuration.compareTo(Duration.ofSeconds(2)) < 0) {
            problems.add("claimDuration is " + claimDuration + ": a commit slower than half of it (a busy database)"
                    + " lets the claim expire while the run is in flight, and the pipeline waits for a takeover;"
                    + " keep it at 2 seconds or more outside tests");
        }
        return problems;
    }

    /** @return the JVM's {@code pid@host} (where a claim comes from) and a random part that keeps restarts apart */
    public static String defaultOrchestratorId() {
        return ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * @return the problems of a builder that lacks a repository or any pipeline, each naming the fix
     */
    public static List<String> missing(boolean noRepository, boolean noPipelines) {
        List<String> problems = new ArrayList<>();
        if (noRepository) {
            problems.add("no repository: set repository(...), e.g. InMemoryRepository.create() for tests or"
                    + " JdbcRepository.create(dataSource)");
        }
        if (noPipelines) {
            problems.add("no pipelines: give scanPackages(\"com.acme...\"), register(MyPipeline.class) or"
                    + " definition(PipelineDefinition.builder(...)...build())");
        }
        return problems;
    }

    /**
     * @return {@code names} as a set, if there is at least one and none is blank
     * @throws NullPointerException if {@code names} or one of them is null
     * @throws IllegalArgumentException naming the fault otherwise
     */
    public static Set<String> pipelineNames(String... names) {
        requireNonNull(names, "names");
        if (names.length == 0) {
            throw new IllegalArgumentException("onlyPipelines needs at least one pipeline name; leave it unset to run"
                    + " every pipeline");
        }
        Set<String> set = new LinkedHashSet<>();
        for (String name : names) {
            if (requireNonNull(name, "pipeline name").isBlank()) {
                throw new IllegalArgumentException("onlyPipelines: a pipeline name must not be blank, but was \""
                        + name + "\"");
            }
            set.add(name);
        }
        return Set.copyOf(set);
    }

    /**
     * @param valid true if no problem was found so far (an empty scan is reported only then)
     * @return a problem if no pipeline is registered, and one per name in {@code only} that is not registered
     */
    public static List<String> pipelineProblems(boolean valid, Set<String> only, Collection<String> registered) {
        List<String> problems = new ArrayList<>();
        if (valid && registered.isEmpty()) {
            problems.add("no @Pipeline class found; steps alone cannot be started");
        }
        only.stream().filter(name -> !registered.contains(name)).sorted()
                .forEach(name -> problems.add("onlyPipelines names \"" + name + "\", which is not a registered"
                        + " pipeline; registered: " + registered.stream().sorted().toList()));
        return problems;
    }

    /**
     * @return {@code values} as a list
     * @throws NullPointerException naming {@code arrayName} or {@code elementName} if the array or an element is null
     */
    public static <T> List<T> each(T[] values, String arrayName, String elementName) {
        requireNonNull(values, arrayName);
        List<T> list = new ArrayList<>(values.length);
        for (T value : values) {
            list.add(requireNonNull(value, elementName));
        }
        return list;
    }
}
