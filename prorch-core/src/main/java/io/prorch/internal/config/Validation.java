package io.prorch.internal.config;

import io.prorch.ConfigurationException;
import io.prorch.Limit;
import io.prorch.Pipeline;
import io.prorch.RetryPolicy;
import io.prorch.Schedule;
import io.prorch.internal.registry.DefinitionScanner;
import io.prorch.internal.registry.Definitions;
import io.prorch.internal.registry.PipelineDefinition;
import io.prorch.internal.schedule.Ticks;
import io.prorch.repository.ClaimLimit;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code OrchestratorConfig.Builder.build()} checks together: the definitions found, the schedules (in code and
 * on {@code @Pipeline} classes) and the limits. Each problem is added to a list, naming the class, pipeline or value
 * at fault and the fix.
 */
public final class Validation {
    private Validation() {
    }

    /** The definitions and all schedules of a configuration that passed every check. */
    public record Checked(Definitions definitions, List<Schedule> schedules) {
    }

    /**
     * Runs every check of {@code OrchestratorConfig.Builder.build()}, in order: repository, sources and scanned
     * classes, pipelines defined in code, schedules (only if all else is valid so far), limits, {@code onlyPipelines}.
     *
     * @param registered the schedules registered in code
     * @throws ConfigurationException listing every problem found
     */
    public static Checked check(boolean hasRepository, Set<String> packages, Set<Class<?>> classes,
                                List<io.prorch.PipelineDefinition> defined, RetryPolicy retryPolicy,
                                Duration hookTimeout, boolean noStepFactory, List<Schedule> registered,
                                List<Limit> limits, Set<String> onlyPipelines) {
        List<String> problems = new ArrayList<>();
        Definitions definitions = definitions(hasRepository, !packages.isEmpty() || !classes.isEmpty()
                || !defined.isEmpty(), new DefinitionScanner(retryPolicy, hookTimeout, noStepFactory)
                .scanPackages(List.copyOf(packages)).register(List.copyOf(classes)), problems);
        defined.forEach(d -> problems.addAll(definitions.define(d, retryPolicy, hookTimeout)));
        anyPipeline(definitions, problems);
        List<Schedule> all = problems.isEmpty() ? schedules(registered, definitions, problems) : List.of();
        limits(limits, definitions, problems);
        onlyPipelines(onlyPipelines, limits, definitions, problems);
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return new Checked(definitions, all);
    }

    /** @return the definitions the scanner found, with the problems of the whole configuration added */
    public static Definitions definitions(boolean hasRepository, boolean hasSources, DefinitionScanner scanner,
                                          List<String> problems) {
        if (!hasRepository) {
            problems.add("no repository: set repository(...), e.g. InMemoryRepository.create() for tests or"
                    + " JdbcRepository.create(dataSource)");
        }
        if (!hasSources) {
            problems.add("no pipelines: give scanPackages(\"com.acme...\") or register(MyPipeline.class)");
        }
        problems.addAll(scanner.problems());
        return scanner.definitions();
    }

    /** Adds a problem if the configuration is valid so far but defines no pipeline (only steps, say). */
    public static void anyPipeline(Definitions definitions, List<String> problems) {
        if (problems.isEmpty() && definitions.pipelines().isEmpty()) {
            problems.add("no @Pipeline class found; steps alone cannot be started");
        }
    }

    /**
     * @param registered the schedules registered in code
     * @return those and the schedules of {@code @Pipeline(schedule = ...)}, each checked
     */
    public static List<Schedule> schedules(List<Schedule> registered, Definitions definitions, List<String> problems) {
        List<Schedule> all = new ArrayList<>(registered);
        for (PipelineDefinition definition : definitions.pipelines()) {
            Pipeline annotation = definition.type() == null ? null : definition.type().getAnnotation(Pipeline.class);
            if (annotation != null && !annotation.schedule().isEmpty()) {
                try {
                    all.add(Schedule.cron(annotation.schedule()).zone(ZoneId.of(annotation.scheduleZone()))
                            .pipeline(definition.type()));
                } catch (DateTimeException e) {
                    problems.add(definition.type().getName() + ": @Pipeline(scheduleZone = \""
                            + annotation.scheduleZone() + "\") is not a time zone (" + e.getMessage()
                            + "); use a region such as \"Europe/Paris\" or \"UTC\"");
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (Schedule schedule : all) {
            Optional<PipelineDefinition> pipeline = pipeline(schedule, definitions);
            if (pipeline.isEmpty()) {
                problems.add("schedule " + schedule + ": " + (schedule.pipelineClass() == null
                        && schedule.pipelineName() == null ? "no pipeline; set pipeline(MyPipeline.class)"
                        : "its pipeline is not registered; register it or scan its package. Registered: "
                        + definitions.pipelineNames()));
                continue;
            }
            try {
                Ticks.of(schedule);
            } catch (IllegalArgumentException e) {
                problems.add("schedule of pipeline \"" + pipeline.get().name() + "\": " + e.getMessage());
                continue;
            }
            if (!seen.add(pipeline.get().name() + " " + schedule.cronExpression() + " " + schedule.zone() + " "
                    + schedule.interval())) {
                problems.add("schedule " + schedule + " is registered twice; remove one");
            }
        }
        return all;
    }

    /** @return the pipeline a schedule starts, if it is registered */
    public static Optional<PipelineDefinition> pipeline(Schedule schedule, Definitions definitions) {
        return schedule.pipelineClass() != null ? definitions.pipeline(schedule.pipelineClass())
                : schedule.pipelineName() != null ? definitions.pipeline(schedule.pipelineName()) : Optional.empty();
    }

    /** @return the limits as a claim holds them, each pipeline resolved to its name; problems added for the rest */
    public static List<ClaimLimit> limits(List<Limit> limits, Definitions definitions, List<String> problems) {
        List<ClaimLimit> resolved = new ArrayList<>();
        Map<String, String> queueOf = new HashMap<>();
        for (Limit limit : limits) {
            Set<String> names = new LinkedHashSet<>();
            for (Object pipeline : limit.pipelines()) {
                Optional<PipelineDefinition> found = pipeline instanceof Class<?> type ? definitions.pipeline(type)
                        : definitions.pipeline((String) pipeline);
                if (found.isEmpty()) {
                    problems.add(limit + ": pipeline " + (pipeline instanceof Class<?> type ? type.getName()
                            : "\"" + pipeline + "\"") + " is not registered. Registered: "
                            + definitions.pipelineNames());
                } else {
                    names.add(found.get().name());
                }
            }
            String queue = limit.queueName() != null ? limit.queueName() : names.stream().findFirst().orElse("?");
            if (limit.pipelines().isEmpty()) {
                problems.add(limit + ": names no pipeline; add pipelines(MyPipeline.class)");
            } else if (limit.maxRunning() == 0 && limit.perSecond() == 0) {
                problems.add(limit + ": sets no limit; give maxRunning(n), perSecond(rate) or both");
            }
            for (String name : names) {
                String other = queueOf.putIfAbsent(name, queue);
                if (other != null) {
                    problems.add("pipeline \"" + name + "\" is in two queues (\"" + other + "\", \"" + queue
                            + "\"); a pipeline may be in one queue only");
                }
            }
            if (resolved.stream().anyMatch(r -> r.queue().equals(queue))) {
                problems.add("two limits for queue \"" + queue + "\"; merge them into one");
            } else if (!names.isEmpty() && (limit.maxRunning() > 0 || limit.perSecond() > 0)) {
                resolved.add(new ClaimLimit(queue, names, limit.maxRunning(), limit.perSecond()));
            }
        }
        return resolved;
    }

    /**
     * Checks {@code onlyPipelines} (empty for every pipeline) once the definitions are valid: each name registered, and
     * no limit's queue split between the names it holds and the others (an orchestrator holds a queue's limit only if
     * it claims every pipeline of the queue).
     */
    public static void onlyPipelines(Set<String> only, List<Limit> limits, Definitions definitions,
                                     List<String> problems) {
        if (!problems.isEmpty() || only.isEmpty()) {
            return;
        }
        List<String> registered = definitions.pipelines().stream().map(PipelineDefinition::name).toList();
        problems.addAll(Settings.pipelineProblems(false, only, registered));
        for (ClaimLimit queue : limits(limits, definitions, new ArrayList<>())) {
            Set<String> inside = new LinkedHashSet<>(queue.pipelineNames());
            inside.retainAll(only);
            if (!inside.isEmpty() && inside.size() < queue.pipelineNames().size()) {
                problems.add("queue \"" + queue.queue() + "\" holds " + queue.pipelineNames() + ", but onlyPipelines "
                        + "names only " + inside + "; name all of the queue's pipelines or none");
            }
        }
    }
}
