package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Limit;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.Schedule;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Schedules and limits with several orchestrators polling one store, as in production: two orchestrators racing the
 * ticks of a schedule start one pipeline per tick; a limit of 2 holds under four orchestrators (hooks record entry and
 * exit, and the most seen at once is the limit at most); a rate spaces the starts. Extended per store.
 */
abstract class SchedulesAndLimitsContract {
    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger MOST = new AtomicInteger();
    static final List<Long> ENTERED_AT = Collections.synchronizedList(new ArrayList<>());

    @Step(name = "Busy")
    public static class Busy implements OnStart {
        @Override
        public void onStart(StepContext ctx) throws InterruptedException {
            MOST.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } finally {
                RUNNING.decrementAndGet(); // before the commit that releases the claim: never more than the store counts
            }
            ctx.finish();
        }
    }

    @Step(name = "Stamp")
    public static class Stamp implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ENTERED_AT.add(System.nanoTime());
            ctx.finish();
        }
    }

    @Pipeline(name = "LimitedJob", steps = Busy.class)
    public static class LimitedJob {
    }

    @Pipeline(name = "RatedJob", steps = Stamp.class)
    public static class RatedJob {
    }

    @Pipeline(name = "TickedJob", steps = Stamp.class)
    public static class TickedJob {
    }

    private final List<Orchestrator> orchestrators = new ArrayList<>();

    /** @return the store an orchestrator uses: a new view of the test's database each call, or the one in-memory store */
    abstract IRepository store();

    /** Drops what {@link #store()} created. */
    void dropStore() {
    }

    @BeforeEach
    void reset() {
        RUNNING.set(0);
        MOST.set(0);
        ENTERED_AT.clear();
    }

    @AfterEach
    void closeAll() {
        orchestrators.forEach(Orchestrator::close);
        dropStore();
    }

    private Orchestrator orchestrator(Consumer<OrchestratorConfig.Builder> settings) {
        OrchestratorConfig.Builder builder = OrchestratorConfig.builder().repository(store())
                .register(LimitedJob.class, RatedJob.class, TickedJob.class).workerThreads(3)
                .claimDuration(Duration.ofSeconds(20));
        settings.accept(builder);
        Orchestrator orchestrator = new Orchestrator(builder.build());
        orchestrators.add(orchestrator);
        return orchestrator;
    }

    private void awaitAllFinished(Orchestrator orchestrator, List<UUID> ids) throws InterruptedException {
        for (UUID id : ids) {
            assertThat(orchestrator.awaitCompletion(id, Duration.ofSeconds(60)).status()).isEqualTo(Status.FINISHED);
        }
    }

    @Test
    @Timeout(120)
    void aLimitOfTwoHoldsUnderFourOrchestrators() throws Exception {
        for (int i = 0; i < 4; i++) {
            orchestrator(c -> c.limit(Limit.pipeline(LimitedJob.class).maxRunning(2))).startPolling(Duration.ofMillis(10));
        }
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            ids.add(orchestrators.get(i % 4).starter(LimitedJob.class).input(Map.of("n", i)).start());
        }

        awaitAllFinished(orchestrators.get(0), ids);

        System.out.println("[limits] most LimitedJob hooks at once under maxRunning=2 on " + getClass().getSimpleName()
                + ": " + MOST.get());
        assertThat(MOST.get()).isBetween(1, 2);
    }

    @Test
    @Timeout(60)
    void twoOrchestratorsRacingEveryTickStartOnePipelinePerTick() throws Exception {
        long began = System.nanoTime();
        for (int i = 0; i < 2; i++) {
            orchestrator(c -> c.schedule(Schedule.every(Duration.ofSeconds(1)).pipeline(TickedJob.class)))
                    .startPolling(Duration.ofMillis(5));
        }
        Thread.sleep(3_500);
        orchestrators.forEach(Orchestrator::close);
        long seconds = Duration.ofNanos(System.nanoTime() - began).toSeconds();

        List<PipelineRecord> started = store().search(Model.PIPELINE, SearchFilter.all()
                .where(SearchField.NAME, "TickedJob"));
        Map<Object, Long> perTick = started.stream().collect(Collectors.groupingBy(p -> p.metadata()
                .get("scheduledAt"), Collectors.counting()));
        assertThat(perTick).hasSizeBetween(2, (int) seconds + 1);
        assertThat(perTick.values()).as("pipelines per tick").containsOnly(1L);
        assertThat(started).extracting(PipelineRecord::idempotencyKey).doesNotHaveDuplicates();
    }

    @Test
    @Timeout(60)
    void aRateSpacesTheStartsAcrossOrchestrators() throws Exception {
        for (int i = 0; i < 2; i++) {
            orchestrator(c -> c.limit(Limit.pipeline(RatedJob.class).perSecond(5))).startPolling(Duration.ofMillis(10));
        }
        long before = System.nanoTime();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(orchestrators.get(i % 2).start(RatedJob.class, Map.of("n", i)));
        }

        awaitAllFinished(orchestrators.get(0), ids);

        // a burst of 5 (one second's worth), then one every 200 ms: the tenth begins a second after the first claim
        long last = Collections.max(ENTERED_AT);
        assertThat(Duration.ofNanos(last - before)).isGreaterThan(Duration.ofMillis(900));
    }
}
