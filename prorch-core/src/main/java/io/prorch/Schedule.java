package io.prorch;

import static java.util.Objects.requireNonNull;

import io.prorch.repository.JsonValues;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A recurring start of a pipeline: on every tick of a cron expression or a fixed interval, exactly one pipeline is
 * started, however many orchestrators share the store (the start is idempotent, keyed by the schedule and the tick).
 * Immutable: every method returns a new schedule. Register it with {@link OrchestratorConfig.Builder#schedule}, or
 * put a cron expression on the pipeline class with {@code @Pipeline(schedule = ...)}.
 *
 * <pre>{@code
 * OrchestratorConfig.builder()
 *         .schedule(Schedule.cron("0 0 2 * * *").zone(ZoneId.of("Europe/Paris")).pipeline(NightlyBackup.class))
 *         .schedule(Schedule.every(Duration.ofMinutes(5)).pipeline("HealthCheck"))
 * }</pre>
 *
 * <p>Ticks are looked for on every pass and poll of an orchestrator, in memory: a pass with no tick due costs nothing.
 * A tick is started by the first pass at or after it, so a start is as late as the polling interval at most. See
 * {@link MissedTicks} for what happens to the ticks that fell while no orchestrator ran.
 */
public final class Schedule {
    /** The shortest fixed interval: 1 second, the resolution of cron expressions too. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    /** What a schedule does about ticks that fell while no orchestrator was running. */
    public enum MissedTicks {
        /**
         * The default: ticks that fell before an orchestrator's first pass are not started; the next tick is. An
         * orchestrator that ran through a tick starts it, however late its pass (the database was down, say).
         */
        SKIP,
        /**
         * The latest tick that fell before an orchestrator's first pass is started once at that pass, unless a
         * pipeline was already started for it (by this schedule, on any orchestrator); earlier missed ticks are not.
         */
        CATCH_UP_ONCE
    }

    private final String cron;
    private final Duration interval;
    private final ZoneId zone;
    private final Class<?> pipelineClass;
    private final String pipelineName;
    private final Map<String, Object> input;
    private final MissedTicks missedTicks;

    private Schedule(String cron, Duration interval, ZoneId zone, Class<?> pipelineClass, String pipelineName,
                     Map<String, Object> input, MissedTicks missedTicks) {
        this.cron = cron;
        this.interval = interval;
        this.zone = zone;
        this.pipelineClass = pipelineClass;
        this.pipelineName = pipelineName;
        this.input = input;
        this.missedTicks = missedTicks;
    }

    /**
     * A schedule on a Spring-style cron expression with six fields, seconds first:
     * {@code second minute hour day-of-month month day-of-week}, e.g. {@code "0 *}{@code /5 * * * *"} (every five
     * minutes). It is parsed by {@link OrchestratorConfig.Builder#build()}, which reports a malformed one naming the
     * pipeline and the expression. Its time zone is UTC unless {@link #zone} says otherwise.
     *
     * @throws NullPointerException if {@code expression} is null
     */
    public static Schedule cron(String expression) {
        return new Schedule(requireNonNull(expression, "cron expression"), null, ZoneOffset.UTC, null, null, Map.of(),
                MissedTicks.SKIP);
    }

    /**
     * A schedule with a tick every {@code interval}, at the multiples of it counted from the epoch
     * (1970-01-01T00:00Z), so that every orchestrator agrees on the ticks without talking to the others; a time zone
     * does not change them.
     *
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if it is shorter than {@link #MIN_INTERVAL} or not whole milliseconds
     */
    public static Schedule every(Duration interval) {
        requireNonNull(interval, "interval");
        if (interval.compareTo(MIN_INTERVAL) < 0 || interval.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("a schedule's interval must be whole milliseconds and at least "
                    + MIN_INTERVAL + ", but was " + interval);
        }
        return new Schedule(null, interval, ZoneOffset.UTC, null, null, Map.of(), MissedTicks.SKIP);
    }

    /**
     * The time zone a cron expression is read in (daylight-saving changes follow it). Default: UTC.
     *
     * @throws NullPointerException if {@code zone} is null
     */
    public Schedule zone(ZoneId zone) {
        return new Schedule(cron, interval, requireNonNull(zone, "zone"), pipelineClass, pipelineName, input,
                missedTicks);
    }

    /**
     * The pipeline each tick starts, a registered {@code @Pipeline} class. Required (this or {@link #pipeline(String)}).
     *
     * @throws NullPointerException if {@code pipeline} is null
     */
    public Schedule pipeline(Class<?> pipeline) {
        return new Schedule(cron, interval, zone, requireNonNull(pipeline, "pipeline"), null, input, missedTicks);
    }

    /**
     * The pipeline each tick starts, by its {@code @Pipeline} name; {@link OrchestratorConfig.Builder#build()}
     * reports a name that is not registered.
     *
     * @throws NullPointerException if {@code pipelineName} is null
     */
    public Schedule pipeline(String pipelineName) {
        return new Schedule(cron, interval, zone, null, requireNonNull(pipelineName, "pipelineName"), input,
                missedTicks);
    }

    /**
     * The input of every pipeline it starts; the tick's time is added under {@code "scheduledAt"} (ISO-8601). Default:
     * empty.
     *
     * @throws NullPointerException if {@code input} is null
     * @throws IllegalArgumentException if a value is not JSON-compatible (the message names the key)
     */
    public Schedule input(Map<String, ?> input) {
        return new Schedule(cron, interval, zone, pipelineClass, pipelineName,
                JsonValues.canonicalMap(requireNonNull(input, "input"), "Schedule input"), missedTicks);
    }

    /**
     * What to do about ticks that fell while no orchestrator ran. Default: {@link MissedTicks#SKIP}.
     *
     * @throws NullPointerException if {@code policy} is null
     */
    public Schedule missedTicks(MissedTicks policy) {
        return new Schedule(cron, interval, zone, pipelineClass, pipelineName, input,
                requireNonNull(policy, "missedTicks"));
    }

    /** @return the cron expression, or null for a fixed interval */
    public String cronExpression() {
        return cron;
    }

    /** @return the fixed interval, or null for a cron expression */
    public Duration interval() {
        return interval;
    }

    /** @return the time zone a cron expression is read in */
    public ZoneId zone() {
        return zone;
    }

    /** @return the pipeline class set with {@link #pipeline(Class)}, or null */
    public Class<?> pipelineClass() {
        return pipelineClass;
    }

    /** @return the pipeline name set with {@link #pipeline(String)}, or null */
    public String pipelineName() {
        return pipelineName;
    }

    /** @return the input of every pipeline it starts, without {@code "scheduledAt"} */
    public Map<String, Object> input() {
        return input;
    }

    /** @return the policy for ticks that fell while no orchestrator ran */
    public MissedTicks missedTicks() {
        return missedTicks;
    }

    /** @return the schedule as configured, e.g. {@code cron "0 0 2 * * *" in Europe/Paris} */
    @Override
    public String toString() {
        return (cron != null ? "cron \"" + cron + "\" in " + zone : "every " + interval) + " of "
                + (pipelineClass != null ? pipelineClass.getSimpleName() : pipelineName);
    }
}
