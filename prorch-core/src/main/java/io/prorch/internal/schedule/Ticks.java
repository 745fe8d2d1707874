package io.prorch.internal.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.prorch.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The instants a {@link Schedule} ticks at. Cron expressions are parsed by cron-utils in its Spring 5.3 dialect (six
 * fields, seconds first; {@code L}, {@code W}, {@code #} and macros such as {@code @daily}); intervals tick at the
 * multiples of the interval counted from the epoch. Immutable and thread-safe.
 */
public abstract class Ticks {
    /** The longest cron expression accepted. */
    public static final int MAX_CRON_LENGTH = 200;
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

    Ticks() {
    }

    /**
     * @return the ticks of {@code schedule}
     * @throws IllegalArgumentException if its cron expression is blank, too long, malformed or never fires; the
     *     message names the expression and why
     */
    public static Ticks of(Schedule schedule) {
        if (schedule.interval() != null) {
            return new Interval(schedule.interval());
        }
        String expression = schedule.cronExpression();
        if (expression.isBlank() || expression.length() > MAX_CRON_LENGTH) {
            throw new IllegalArgumentException("cron expression \"" + expression + "\" must be 1 to "
                    + MAX_CRON_LENGTH + " non-blank characters");
        }
        Cron cron;
        try {
            cron = PARSER.parse(expression).validate();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cron expression \"" + expression + "\" is malformed (" + e.getMessage()
                    + "); give six fields, seconds first, e.g. \"0 */5 * * * *\" for every five minutes");
        }
        CronTicks ticks = new CronTicks(ExecutionTime.forCron(cron), schedule.zone());
        if (ticks.after(Instant.now()) == null) {
            throw new IllegalArgumentException("cron expression \"" + expression + "\" never fires");
        }
        return ticks;
    }

    /** @return the latest tick at or before {@code now}, or null if there is none */
    public abstract Instant latestAtOrBefore(Instant now);

    /** @return the first tick strictly after {@code time}, or null if there is none */
    public abstract Instant after(Instant time);

    /** Ticks at the multiples of a fixed interval since the epoch. */
    private static final class Interval extends Ticks {
        private final long millis;

        Interval(Duration interval) {
            this.millis = interval.toMillis();
        }

        @Override
        public Instant latestAtOrBefore(Instant now) {
            return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), millis) * millis);
        }

        @Override
        public Instant after(Instant time) {
            return Instant.ofEpochMilli((Math.floorDiv(time.toEpochMilli(), millis) + 1) * millis);
        }
    }

    /** Ticks of a cron expression read in a time zone, to the second. */
    private static final class CronTicks extends Ticks {
        private final ExecutionTime execution;
        private final ZoneId zone;

        CronTicks(ExecutionTime execution, ZoneId zone) {
            this.execution = execution;
            this.zone = zone;
        }

        @Override
        public Instant latestAtOrBefore(Instant now) {
            ZonedDateTime second = now.truncatedTo(ChronoUnit.SECONDS).atZone(zone);
            if (execution.isMatch(second)) {
                return second.toInstant();
            }
            return execution.lastExecution(second).map(ZonedDateTime::toInstant).orElse(null);
        }

        @Override
        public Instant after(Instant time) {
            return execution.nextExecution(time.truncatedTo(ChronoUnit.SECONDS).atZone(zone))
                    .map(ZonedDateTime::toInstant).orElse(null);
        }
    }
}
