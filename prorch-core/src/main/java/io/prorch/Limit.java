package io.prorch;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A concurrency limit and an optional rate limit on a queue of pipelines, held across every orchestrator that shares
 * the store: at most {@link #maxRunning} pipelines of the queue run at once, and at most {@link #perSecond} of them
 * begin a run per second. Immutable: every method returns a new limit. Register it with
 * {@link OrchestratorConfig.Builder#limit}.
 *
 * <pre>{@code
 * .limit(Limit.pipeline(SendMail.class).maxRunning(2))
 * .limit(Limit.queue("partner-api").pipelines(Quote.class, Book.class).maxRunning(5).perSecond(10))
 * }</pre>
 *
 * <p><b>Running</b> means claimed: a pipeline takes a slot when an orchestrator claims it to drive its current step,
 * and gives it back when that turn ends and the claim is released. A pipeline that waits (for {@code continueAfter},
 * a retry's backoff or a signal) between turns holds no slot, so waiting pipelines never block the queue; a claim left
 * by an orchestrator that died holds its slot until it expires. The limits are enforced by the store's claim, never by
 * an in-memory semaphore. Within a queue, pipelines are claimed by priority ({@link Starter#priority}, highest first),
 * then by due time: a steady stream of high-priority work delays lower priorities for as long as it lasts.
 */
public final class Limit {
    /** The most a queue's {@code maxRunning} may be. */
    public static final int MAX_RUNNING = 100_000;
    /** The highest rate a queue may have, per second. */
    public static final double MAX_PER_SECOND = 100_000;

    private final String queue;
    private final List<Object> pipelines;
    private final int maxRunning;
    private final double perSecond;

    private Limit(String queue, List<Object> pipelines, int maxRunning, double perSecond) {
        this.queue = queue;
        this.pipelines = List.copyOf(pipelines);
        this.maxRunning = maxRunning;
        this.perSecond = perSecond;
    }

    /**
     * A named queue; add its pipelines with {@link #pipelines(Class[])} or {@link #pipelines(String...)}.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if it is not 1 to 200 letters, digits, {@code . _ -}
     */
    public static Limit queue(String name) {
        requireNonNull(name, "queue name");
        if (!name.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("queue name must be 1 to 200 letters, digits, '.', '_' or '-', but was \""
                    + name + "\"");
        }
        return new Limit(name, List.of(), 0, 0);
    }

    /**
     * A queue holding one pipeline class, named after it by {@link OrchestratorConfig.Builder#build()}.
     *
     * @throws NullPointerException if {@code pipeline} is null
     */
    public static Limit pipeline(Class<?> pipeline) {
        return new Limit(null, List.of(requireNonNull(pipeline, "pipeline")), 0, 0);
    }

    /**
     * Adds pipeline classes to the queue; each pipeline may be in one queue only.
     *
     * @throws NullPointerException if {@code types} or one of them is null
     */
    public Limit pipelines(Class<?>... types) {
        return with(List.of(requireNonNull(types, "pipelines")));
    }

    /**
     * Adds pipelines, by their {@code @Pipeline} names, to the queue; {@link OrchestratorConfig.Builder#build()}
     * reports a name that is not registered.
     *
     * @throws NullPointerException if {@code names} or one of them is null
     */
    public Limit pipelines(String... names) {
        return with(List.of(requireNonNull(names, "pipelines")));
    }

    private Limit with(List<Object> more) {
        List<Object> all = new ArrayList<>(pipelines);
        all.addAll(more);
        return new Limit(queue, all, maxRunning, perSecond);
    }

    /**
     * At most this many pipelines of the queue run at once, across all orchestrators. Default: no bound.
     *
     * @throws IllegalArgumentException if not in [1, {@value #MAX_RUNNING}]
     */
    public Limit maxRunning(int max) {
        if (max < 1 || max > MAX_RUNNING) {
            throw new IllegalArgumentException("maxRunning must be in [1, " + MAX_RUNNING + "], but was " + max);
        }
        return new Limit(queue, pipelines, max, perSecond);
    }

    /**
     * At most this many runs of the queue's pipelines begin per second, across all orchestrators, with bursts of up to
     * one second's worth (at least one). Every claim counts, a pipeline's first and each one after a wait. Default:
     * no rate limit.
     *
     * @throws IllegalArgumentException if not in (0, {@value #MAX_PER_SECOND}] or not a number
     */
    public Limit perSecond(double rate) {
        if (!(rate > 0 && rate <= MAX_PER_SECOND)) {
            throw new IllegalArgumentException("perSecond must be in (0, " + MAX_PER_SECOND + "], but was " + rate);
        }
        return new Limit(queue, pipelines, maxRunning, rate);
    }

    /** @return the queue's name, or null for {@link #pipeline(Class)} until it is named after its pipeline */
    public String queueName() {
        return queue;
    }

    /** @return the queue's pipelines as given: classes and names */
    public List<Object> pipelines() {
        return pipelines;
    }

    /** @return the most pipelines of the queue that run at once, or 0 for no bound */
    public int maxRunning() {
        return maxRunning;
    }

    /** @return the most runs that begin per second, or 0 for no rate limit */
    public double perSecond() {
        return perSecond;
    }

    @Override
    public String toString() {
        return "queue " + (queue != null ? "\"" + queue + "\"" : pipelines) + (maxRunning > 0 ? " maxRunning="
                + maxRunning : "") + (perSecond > 0 ? " perSecond=" + perSecond : "");
    }
}
