package io.prorch.internal.engine;

import io.prorch.Schedule;
import io.prorch.internal.registry.PipelineDefinition;
import io.prorch.internal.schedule.Ticks;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.IRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the pipelines of recurring schedules, on each pass and poll, before the claim: a tick that is due is
 * enqueued (unclaimed, due now) with an idempotency key made of the schedule and the tick, so that however many
 * orchestrators see the tick, one pipeline is started for it, and the claim that follows runs it. Between ticks a
 * call reads a volatile field and compares two instants per schedule: no store round trip.
 */
final class Schedules {
    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);
    /** The input key under which a scheduled pipeline finds its tick. */
    static final String SCHEDULED_AT = "scheduledAt";

    private final List<Entry> entries;
    private final Clock clock;

    Schedules(List<Entry> entries, Clock clock) {
        this.entries = List.copyOf(entries);
        this.clock = clock;
    }

    /** One schedule and what this orchestrator has done about its ticks. */
    static final class Entry {
        private final Schedule schedule;
        private final PipelineDefinition definition;
        private final Ticks ticks;
        private final String keyPrefix;
        /** The first tick this orchestrator has not handled yet; null before its first pass (or if none is left). */
        private volatile Instant next;
        private volatile boolean started;

        Entry(Schedule schedule, PipelineDefinition definition) {
            this.schedule = schedule;
            this.definition = definition;
            this.ticks = Ticks.of(schedule);
            this.keyPrefix = keyPrefix(definition.name(), schedule);
        }
    }

    /** What starts a tick's pipeline: {@code Starts.enqueue} with the engine's own repository. */
    interface Enqueuer {
        /** @return true if a pipeline with {@code key} exists already */
        boolean exists(String key);

        void enqueue(PipelineDefinition definition, Map<String, Object> input, String key);
    }

    /** Starts every tick due at the clock's now; a failed start is logged and tried again on the next call. */
    void fire(Enqueuer enqueuer) {
        if (entries.isEmpty()) {
            return;
        }
        Instant now = Clocks.now(clock);
        for (Entry entry : entries) {
            Instant next = entry.next;
            if (entry.started && (next == null || now.isBefore(next))) {
                continue;
            }
            synchronized (entry) {
                fire(entry, now, enqueuer);
            }
        }
    }

    private static void fire(Entry entry, Instant now, Enqueuer enqueuer) {
        Instant tick = entry.ticks.latestAtOrBefore(now);
        if (!entry.started) {
            entry.started = true;
            if (tick == null || entry.schedule.missedTicks() == Schedule.MissedTicks.SKIP) {
                entry.next = entry.ticks.after(now);
                return;
            }
        } else if (entry.next == null || now.isBefore(entry.next)) {
            return; // another thread handled it meanwhile
        }
        try {
            start(entry, tick, enqueuer);
            entry.next = entry.ticks.after(tick.isAfter(now) ? tick : now);
        } catch (RuntimeException e) {
            // the tick stays due: the next pass tries again (the key keeps a late start from doubling)
            entry.next = tick;
            LOG.warn("prorch: starting the {} tick of schedule {} failed; the next pass tries again: {}", tick,
                    entry.schedule, ErrorSummary.headline(e));
        }
    }

    private static void start(Entry entry, Instant tick, Enqueuer enqueuer) {
        String key = entry.keyPrefix + tick;
        if (enqueuer.exists(key)) {
            return;
        }
        Map<String, Object> input = new LinkedHashMap<>(entry.schedule.input());
        input.put(SCHEDULED_AT, tick.toString());
        try {
            enqueuer.enqueue(entry.definition, input, key);
            LOG.debug("prorch: schedule {} started its {} tick", entry.schedule, tick);
        } catch (DuplicateRecordException anotherOrchestrator) {
            // another orchestrator started this tick between our look and our save: one start, as promised
        }
    }

    /**
     * The key of a schedule's ticks: the pipeline's name and a digest of the schedule's ticking rule, so that two
     * schedules of one pipeline never share a tick's start, and a changed rule starts afresh. At most 90 characters.
     */
    static String keyPrefix(String pipelineName, Schedule schedule) {
        String rule = schedule.cronExpression() != null ? schedule.cronExpression() + " " + schedule.zone()
                : "every " + schedule.interval();
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((pipelineName + "\n" + rule).getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        String name = pipelineName.length() <= 40 ? pipelineName : pipelineName.substring(0, 40);
        return "prorch.schedule:" + name + ":" + digest + "@";
    }

    /** @return an enqueuer that saves through {@code starts} in {@code repository} */
    static Enqueuer enqueuer(Starts starts, IRepository repository) {
        return new Enqueuer() {
            @Override
            public boolean exists(String key) {
                return starts.findByIdempotencyKey(key).isPresent();
            }

            @Override
            public void enqueue(PipelineDefinition definition, Map<String, Object> input, String key) {
                starts.enqueue(repository, definition, input, key);
            }
        };
    }
}
