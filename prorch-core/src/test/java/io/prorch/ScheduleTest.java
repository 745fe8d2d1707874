package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.ClaimRequest;
import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StoredRecord;
import io.prorch.test.ForwardingRepository;
import io.prorch.test.SettableClock;
import io.prorch.test.TestOrchestrator;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Recurring starts: ticks, the missed-tick policies, time zones, the cost of a pass with no tick, and bad input. */
class ScheduleTest {
    @Step(name = "Tick")
    public static class Tick implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.finish();
        }
    }

    @Pipeline(name = "Ticked", steps = Tick.class)
    public static class Ticked {
    }

    @Pipeline(name = "Annotated", steps = Tick.class, schedule = "0 0 2 * * *", scheduleZone = "Europe/Paris")
    public static class Annotated {
    }

    @Pipeline(name = "BadCron", steps = Tick.class, schedule = "0 61 * * * *")
    public static class BadCron {
    }

    @Pipeline(name = "BadZone", steps = Tick.class, schedule = "0 0 * * * *", scheduleZone = "Mars/Olympus")
    public static class BadZone {
    }

    private final InMemoryRepository repository = InMemoryRepository.create();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:30Z"));
    private final List<AutoCloseable> open = new java.util.ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private TestOrchestrator orchestrator(IRepository store, Schedule... schedules) {
        OrchestratorConfig.Builder builder = OrchestratorConfig.builder().repository(store).clock(clock)
                .register(Ticked.class);
        for (Schedule schedule : schedules) {
            builder.schedule(schedule);
        }
        TestOrchestrator orchestrator = new TestOrchestrator(new Orchestrator(builder.build()), clock);
        open.add(orchestrator);
        return orchestrator;
    }

    private List<String> ticksStarted() {
        return repository.search(Model.PIPELINE, SearchFilter.all().where(SearchField.NAME, "Ticked")).stream()
                .map(p -> (String) p.metadata().get("scheduledAt")).sorted().toList();
    }

    @Test
    void skipStartsNoTickBeforeTheFirstPassAndOneTickPerPassAfter() {
        TestOrchestrator orchestrator = orchestrator(repository, Schedule.cron("0 * * * * *").pipeline(Ticked.class)
                .input(Map.of("region", "eu")));

        orchestrator.runUntilIdle();
        assertThat(ticksStarted()).isEmpty();

        clock.set(Instant.parse("2026-03-01T10:01:00Z"));
        orchestrator.runUntilIdle();
        clock.advance(Duration.ofSeconds(20));
        orchestrator.runUntilIdle();
        assertThat(ticksStarted()).containsExactly("2026-03-01T10:01:00Z");

        // ten ticks passed while its passes did not run: the latest is started, once
        clock.set(Instant.parse("2026-03-01T10:11:05Z"));
        orchestrator.runUntilIdle();
        orchestrator.runUntilIdle();
        assertThat(ticksStarted()).containsExactly("2026-03-01T10:01:00Z", "2026-03-01T10:11:00Z");
        PipelineRecord started = repository.search(Model.PIPELINE, SearchFilter.all()).get(0);
        assertThat(started.status()).isEqualTo(Status.FINISHED);
        assertThat(started.metadata()).containsEntry("region", "eu");
    }

    @Test
    void catchUpOnceStartsTheLatestMissedTickOnceAcrossRestarts() {
        Schedule schedule = Schedule.cron("0 * * * * *").pipeline("Ticked")
                .missedTicks(Schedule.MissedTicks.CATCH_UP_ONCE);
        clock.set(Instant.parse("2026-03-01T10:07:30Z"));
        orchestrator(repository, schedule).runUntilIdle();
        assertThat(ticksStarted()).containsExactly("2026-03-01T10:07:00Z");

        // a restart (a new orchestrator) within the same minute finds that tick started and starts nothing
        clock.advance(Duration.ofSeconds(10));
        orchestrator(repository, schedule).runUntilIdle();
        assertThat(ticksStarted()).containsExactly("2026-03-01T10:07:00Z");

        // one that starts later catches up the latest tick it missed, not the ones before it
        clock.set(Instant.parse("2026-03-01T10:12:01Z"));
        orchestrator(repository, schedule).runUntilIdle();
        assertThat(ticksStarted()).containsExactly("2026-03-01T10:07:00Z", "2026-03-01T10:12:00Z");
    }

    @Test
    void fixedIntervalsTickAtMultiplesOfTheIntervalSinceTheEpoch() {
        TestOrchestrator orchestrator = orchestrator(repository,
                Schedule.every(Duration.ofSeconds(45)).pipeline(Ticked.class));
        orchestrator.runUntilIdle();
        for (int i = 0; i < 8; i++) {
            clock.advance(Duration.ofSeconds(15));
            orchestrator.runUntilIdle();
        }
        // 10:00:30 + 2 minutes: the multiples of 45 s since the epoch in between
        assertThat(ticksStarted()).containsExactly("2026-03-01T10:00:45Z", "2026-03-01T10:01:30Z",
                "2026-03-01T10:02:15Z");
    }

    @Test
    void cronIsReadInItsTimeZone() {
        TestOrchestrator orchestrator = orchestrator(repository, Schedule.cron("0 0 2 * * *")
                .zone(ZoneId.of("America/New_York")).pipeline(Ticked.class));
        orchestrator.runUntilIdle();
        clock.set(Instant.parse("2026-03-02T06:59:59Z"));
        orchestrator.runUntilIdle();
        assertThat(ticksStarted()).isEmpty();
        clock.set(Instant.parse("2026-03-02T07:00:00Z")); // 02:00 in New York (EST, UTC-5)
        orchestrator.runUntilIdle();
        assertThat(ticksStarted()).containsExactly("2026-03-02T07:00:00Z");
    }

    @Test
    void twoSchedulesOfOnePipelineStartSeparatelyOnACommonTick() {
        TestOrchestrator orchestrator = orchestrator(repository,
                Schedule.cron("0 * * * * *").pipeline(Ticked.class),
                Schedule.every(Duration.ofMinutes(1)).pipeline(Ticked.class));
        orchestrator.runUntilIdle();
        clock.set(Instant.parse("2026-03-01T10:01:00Z"));
        orchestrator.runUntilIdle();
        assertThat(ticksStarted()).containsExactly("2026-03-01T10:01:00Z", "2026-03-01T10:01:00Z");
    }

    @Test
    void aPassWithNoTickDueMakesNoExtraStoreCall() {
        AtomicInteger calls = new AtomicInteger();
        IRepository counting = new ForwardingRepository(repository) {
            @Override
            public <R extends StoredRecord> List<R> search(Model<R> model, SearchFilter filter) {
                calls.incrementAndGet();
                return super.search(model, filter);
            }

            @Override
            public List<PipelineRecord> claimDue(ClaimRequest request) {
                calls.incrementAndGet();
                return super.claimDue(request);
            }
        };
        TestOrchestrator orchestrator = orchestrator(counting, Schedule.cron("0 0 * * * *").pipeline(Ticked.class));
        orchestrator.orchestrator().executePipelines(); // the first pass sets the schedule up (SKIP: no store call)
        calls.set(0);

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            orchestrator.orchestrator().executePipelines();
        }

        assertThat(calls.get()).as("one claim per pass, nothing for the schedule").isEqualTo(5);
        clock.set(Instant.parse("2026-03-01T11:00:00Z"));
        orchestrator.orchestrator().executePipelines();
        assertThat(calls.get()).as("a due tick: a look for its key, then the claim").isGreaterThan(6);
    }

    @Test
    void anAnnotatedScheduleIsRegisteredWithItsZone() {
        OrchestratorConfig config = OrchestratorConfig.builder().repository(repository).register(Annotated.class)
                .build();
        assertThat(config.schedules()).singleElement().satisfies(s -> {
            assertThat(s.cronExpression()).isEqualTo("0 0 2 * * *");
            assertThat(s.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
            assertThat(s.pipelineClass()).isEqualTo(Annotated.class);
            assertThat(s.missedTicks()).isEqualTo(Schedule.MissedTicks.SKIP);
        });
    }

    @Test
    void malformedSchedulesFailTheConfigurationNamingPipelineAndExpression() {
        assertThatThrownBy(() -> OrchestratorConfig.builder().repository(repository).register(Ticked.class)
                .schedule(Schedule.cron("every five minutes").pipeline(Ticked.class))
                .schedule(Schedule.cron("").pipeline(Ticked.class))
                .schedule(Schedule.cron("0 0 0 30 2 *").pipeline(Ticked.class))
                .schedule(Schedule.cron("0 * * * * *").pipeline("Nope"))
                .schedule(Schedule.cron("0 * * * * *"))
                .schedule(Schedule.cron("1 * * * * *").pipeline(Ticked.class))
                .schedule(Schedule.cron("1 * * * * *").pipeline("Ticked"))
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("schedule of pipeline \"Ticked\": cron expression \"every five minutes\" is"
                        + " malformed")
                .hasMessageContaining("e.g. \"0 */5 * * * *\"")
                .hasMessageContaining("cron expression \"\" must be 1 to 200 non-blank characters")
                .hasMessageContaining("\"0 0 0 30 2 *\" never fires")
                .hasMessageContaining("schedule cron \"0 * * * * *\" in Z of Nope: its pipeline is not registered")
                .hasMessageContaining("no pipeline; set pipeline(MyPipeline.class)")
                .hasMessageContaining("is registered twice");
        assertThatThrownBy(() -> OrchestratorConfig.builder().repository(repository)
                .register(BadCron.class, BadZone.class).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("schedule of pipeline \"BadCron\": cron expression \"0 61 * * * *\" is malformed")
                .hasMessageContaining("@Pipeline(scheduleZone = \"Mars/Olympus\") is not a time zone");
    }

    @Test
    void scheduleBuildersCheckTheirArguments() {
        assertThatThrownBy(() -> Schedule.cron(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("cron expression");
        assertThatThrownBy(() -> Schedule.every(Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least PT1S, but was PT0.999S");
        assertThatThrownBy(() -> Schedule.every(Duration.ofSeconds(1).plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole milliseconds");
        assertThatThrownBy(() -> Schedule.every(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Schedule.cron("0 * * * * *").zone(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("zone");
        assertThatThrownBy(() -> Schedule.cron("0 * * * * *").input(Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x");
        assertThatThrownBy(() -> Schedule.cron("0 * * * * *").missedTicks(null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Schedule.cron("0 * * * * *").pipeline((Class<?>) null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> OrchestratorConfig.builder().schedule(null))
                .isInstanceOf(NullPointerException.class).hasMessage("schedule");
    }
}
