package io.prorch.micrometer;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.prorch.Orchestrator;
import io.prorch.PipelineCounts;
import io.prorch.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges of the pipelines in the store by name and status ({@code prorch.pipelines}, tags {@code pipeline} and
 * {@code status}), read from {@link Orchestrator#counts()} on a daemon thread of their own every
 * {@link Builder#refreshEvery refresh interval} (default 15 s), so a scrape only reads the last counts and never
 * queries the store:
 *
 * <pre>{@code
 * PipelineGauges gauges = PipelineGauges.bind(orchestrator, meterRegistry);
 * ...
 * gauges.close();   // stops the refresh and removes the gauges
 * }</pre>
 *
 * <p>A gauge appears when its pipeline name and status first show up in the counts and reads 0 once no pipeline is
 * in that status any more. A count that fails is logged and counted in {@code prorch.pipelines.refresh.failures};
 * the gauges keep their last values. On PostgreSQL with very many pipelines the {@code finished} counts are the
 * store's estimate (see {@link PipelineCounts#estimated()}).
 */
public final class PipelineGauges implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineGauges.class);
    private static final Set<String> OWN_TAG_KEYS = Set.of("pipeline", "status");
    private static final Duration MIN_REFRESH = Duration.ofSeconds(1);
    private static final Duration MAX_REFRESH = Duration.ofDays(1);

    private final Orchestrator orchestrator;
    private final MeterRegistry registry;
    private final String prefix;
    private final Tags tags;
    private final ConcurrentMap<Key, AtomicLong> values = new ConcurrentHashMap<>();
    private final List<Meter> meters = new ArrayList<>();
    private final Counter failures;
    private final ScheduledExecutorService refresher;
    private volatile boolean failing;
    /** Guarded by {@code meters}. */
    private boolean closed;

    private PipelineGauges(Builder builder) {
        this.orchestrator = builder.orchestrator;
        this.registry = builder.registry;
        this.prefix = builder.prefix;
        this.tags = builder.tags;
        this.failures = Counter.builder(prefix + ".pipelines.refresh.failures").tags(tags)
                .description("Counts of pipelines by status that failed; the gauges kept their last values")
                .register(registry);
        meters.add(failures);
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "prorch-pipeline-gauges");
            thread.setDaemon(true);
            return thread;
        });
        long every = builder.refreshEvery.toMillis();
        // the first count on the binding thread, so the gauges hold it when bind returns; no late first refresh
        // can then land at a moment nobody chose
        refresh();
        refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * @param orchestrator whose store is counted
     * @param registry where the gauges go
     * @return the bound gauges with the default prefix {@code prorch}, refreshed every 15 s; close them to stop
     * @throws NullPointerException if an argument is null
     */
    public static PipelineGauges bind(Orchestrator orchestrator, MeterRegistry registry) {
        return builder(orchestrator, registry).bind();
    }

    /**
     * @param orchestrator whose store is counted
     * @param registry where the gauges go
     * @return a builder for gauges with another refresh interval, prefix or extra tags
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(Orchestrator orchestrator, MeterRegistry registry) {
        return new Builder(orchestrator, registry);
    }

    /** Counts the pipelines once and sets the gauges; a failure is logged and counted, never thrown. Synchronized: the
     * refresh thread and a caller must not register one name twice with two different holders. */
    synchronized void refresh() {
        PipelineCounts counts;
        try {
            counts = orchestrator.counts();
        } catch (RuntimeException e) {
            failures.increment();
            if (!failing) {
                LOG.warn("prorch: counting pipelines for the gauges failed; they keep their last values until a count"
                        + " succeeds", e);
            } else {
                LOG.debug("prorch: counting pipelines for the gauges failed again", e);
            }
            failing = true;
            return;
        }
        failing = false;
        synchronized (meters) {
            if (closed) {
                return;   // closed while counting: register nothing
            }
            // a name or status no longer in the counts has no pipeline left: 0, not its last value
            values.values().forEach(v -> v.set(0));
            counts.byName().forEach((name, byStatus) -> byStatus.forEach((status, n) -> gauge(name, status).set(n)));
        }
    }

    private AtomicLong gauge(String name, Status status) {
        return values.computeIfAbsent(new Key(name, status), k -> {
            AtomicLong value = new AtomicLong();
            meters.add(Gauge.builder(prefix + ".pipelines", value, AtomicLong::doubleValue).tags(tags)
                    .tag("pipeline", k.name()).tag("status", k.status().name().toLowerCase(Locale.ROOT))
                    .baseUnit("pipelines").description("Pipelines in the store by name and status")
                    .register(registry));
            return value;
        });
    }

    /** Stops the refresh (waiting at most 5 s for a count under way) and removes the gauges from the registry. */
    @Override
    public void close() {
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (meters) {
            closed = true;
            meters.forEach(registry::remove);
            meters.clear();
        }
    }

    private record Key(String name, Status status) {
    }

    /** Options of {@link PipelineGauges}; {@link #bind()} them. */
    public static final class Builder {
        private final Orchestrator orchestrator;
        private final MeterRegistry registry;
        private Duration refreshEvery = Duration.ofSeconds(15);
        private String prefix = "prorch";
        private Tags tags = Tags.empty();

        private Builder(Orchestrator orchestrator, MeterRegistry registry) {
            this.orchestrator = requireNonNull(orchestrator, "orchestrator");
            this.registry = requireNonNull(registry, "registry");
        }

        /**
         * @param interval how often the pipelines are counted: the gauges are at most this old (plus one count);
         *     default 15 s. Each count is one query ({@code GROUP BY name, status}) on the store.
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is under 1 s or over 1 day
         */
        public Builder refreshEvery(Duration interval) {
            requireNonNull(interval, "interval");
            if (interval.compareTo(MIN_REFRESH) < 0 || interval.compareTo(MAX_REFRESH) > 0) {
                throw new IllegalArgumentException("refreshEvery must be between 1 s and 1 day (e.g. 15 s), not "
                        + interval);
            }
            this.refreshEvery = interval;
            return this;
        }

        /**
         * @param prefix the first part of every meter name, e.g. {@code "orders.prorch"} gives
         *     {@code orders.prorch.pipelines}; default {@code "prorch"}
         * @return this builder
         * @throws IllegalArgumentException if {@code prefix} is blank or starts or ends with a dot
         */
        public Builder prefix(String prefix) {
            requireNonNull(prefix, "prefix");
            if (prefix.isBlank() || prefix.startsWith(".") || prefix.endsWith(".")) {
                throw new IllegalArgumentException("prefix must be a non-blank name without a leading or trailing dot"
                        + " (e.g. \"prorch\" or \"orders.prorch\"), not \"" + prefix + "\"");
            }
            this.prefix = prefix;
            return this;
        }

        /**
         * @param tags tags to add to every gauge, e.g. {@code Tags.of("orchestrator", "billing")}
         * @return this builder
         * @throws IllegalArgumentException if a key is {@code pipeline} or {@code status}, which the gauges use
         */
        public Builder tags(Iterable<Tag> tags) {
            requireNonNull(tags, "tags");
            for (Tag tag : tags) {
                if (OWN_TAG_KEYS.contains(tag.getKey())) {
                    throw new IllegalArgumentException("tag key \"" + tag.getKey() + "\" is used by the pipeline"
                            + " gauges themselves; choose another key (e.g. \"orchestrator\")");
                }
            }
            this.tags = this.tags.and(tags);
            return this;
        }

        /** @return the gauges, registered now and first counted at once on their own thread */
        public PipelineGauges bind() {
            return new PipelineGauges(this);
        }
    }
}
