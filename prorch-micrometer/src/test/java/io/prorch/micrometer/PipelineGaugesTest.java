package io.prorch.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.PipelineCounts;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;
import io.prorch.test.ForwardingRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The gauges of pipelines by name and status, on the in-memory store and on H2, refreshed by hand. */
class PipelineGaugesTest {

    /** Finishes at once. */
    @Step(name = "Quick")
    public static class Quick implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    /** Waits until told to cancel, by its pipeline being cancelled from outside. */
    @Step(name = "Waiting")
    public static class Waiting implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
        }

        @Override
        public void onContinue(StepContext ctx) {
        }
    }

    @Pipeline(name = "Fast", steps = Quick.class)
    public static class Fast {
    }

    @Pipeline(name = "Slow", steps = Waiting.class)
    public static class Slow {
    }

    /** A store whose counts fail while asked to. */
    static final class FailingCounts extends ForwardingRepository {
        final AtomicBoolean fail = new AtomicBoolean();

        FailingCounts(IRepository delegate) {
            super(delegate);
        }

        @Override
        public PipelineCounts countPipelines() {
            if (fail.get()) {
                throw new IllegalStateException("the database went away");
            }
            return super.countPipelines();
        }
    }

    private static int databases;
    private final SettableClock clock = new SettableClock();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private Orchestrator orchestrator;
    private PipelineGauges gauges;

    static Stream<String> stores() {
        return Stream.of("memory", "h2");
    }

    private static IRepository store(String kind) {
        if (kind.equals("memory")) {
            return InMemoryRepository.create();
        }
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:gauges" + (++databases) + ";DB_CLOSE_DELAY=-1");
        return JdbcRepository.create(dataSource);
    }

    private Orchestrator orchestrator(IRepository repository) {
        orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(Fast.class, Slow.class).clock(clock).build());
        return orchestrator;
    }

    @AfterEach
    void close() {
        if (gauges != null) {
            gauges.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    private double gauge(String pipeline, String status) {
        return registry.get("prorch.pipelines").tags("pipeline", pipeline, "status", status).gauge().value();
    }

    /**
     * Refreshes and reads until {@code read} gives {@code expected}, for at most 5 s: right after bind the refresh
     * thread's first count races the test's own, and the gauges promise the counts within a refresh, not at once.
     */
    private double afterRefresh(java.util.function.DoubleSupplier read, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        gauges.refresh();
        while (read.getAsDouble() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
            gauges.refresh();
        }
        return read.getAsDouble();
    }

    private void awaitFirstCount() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (registry.find("prorch.pipelines").gauges().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void countPipelinesByNameAndStatusAndShowNewNamesAndStatusesAsTheyAppear(String kind) throws Exception {
        orchestrator(store(kind));
        // a start hands its run to a worker: wait for the runs themselves, not for an idle moment before they begin
        orchestrator.awaitCompletion(orchestrator.start(Fast.class), Duration.ofSeconds(10));
        orchestrator.awaitCompletion(orchestrator.start(Fast.class), Duration.ofSeconds(10));
        gauges = PipelineGauges.builder(orchestrator, registry).refreshEvery(Duration.ofHours(1)).bind();
        assertThat(afterRefresh(() -> gauge("Fast", "finished"), 2)).isEqualTo(2);
        assertThat(registry.find("prorch.pipelines").tag("pipeline", "Slow").gauges()).isEmpty();

        UUID slow = orchestrator.start(Slow.class);
        orchestrator.start(Slow.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        // no query on a read: the gauge shows the last count until the next refresh
        assertThat(registry.find("prorch.pipelines").tag("pipeline", "Slow").gauges()).isEmpty();
        gauges.refresh();
        assertThat(gauge("Slow", "pending")).isEqualTo(2);

        orchestrator.cancel(slow, "not needed");
        gauges.refresh();
        assertThat(gauge("Slow", "pending")).isEqualTo(1);
        assertThat(gauge("Slow", "cancelled")).isEqualTo(1);
        assertThat(gauge("Fast", "finished")).isEqualTo(2);
        assertThat(registry.get("prorch.pipelines.refresh.failures").counter().count()).isZero();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void theFirstCountRunsAtOnceOnItsOwnThread(String kind) throws Exception {
        orchestrator(store(kind));
        orchestrator.awaitCompletion(orchestrator.start(Fast.class), Duration.ofSeconds(10));
        gauges = PipelineGauges.bind(orchestrator, registry);

        awaitFirstCount();
        assertThat(gauge("Fast", "finished")).isEqualTo(1);
    }

    @Test
    void aFailingCountIsCountedAndKeepsTheLastValues() throws Exception {
        FailingCounts store = new FailingCounts(InMemoryRepository.create());
        orchestrator(store);
        orchestrator.start(Slow.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        gauges = PipelineGauges.builder(orchestrator, registry).refreshEvery(Duration.ofHours(1)).bind();
        awaitFirstCount();   // the one the gauges' own thread runs at once, so that it cannot see the failure
        assertThat(gauge("Slow", "pending")).isEqualTo(1);

        store.fail.set(true);
        orchestrator.start(Slow.class);
        gauges.refresh();
        gauges.refresh();
        assertThat(gauge("Slow", "pending")).isEqualTo(1);
        assertThat(registry.get("prorch.pipelines.refresh.failures").counter().count()).isEqualTo(2);

        store.fail.set(false);
        gauges.refresh();
        assertThat(gauge("Slow", "pending")).isEqualTo(2);
    }

    @Test
    void closingRemovesTheGaugesAndAPrefixAndTagsApply() throws Exception {
        orchestrator(InMemoryRepository.create());
        orchestrator.awaitCompletion(orchestrator.start(Fast.class), Duration.ofSeconds(10));
        gauges = PipelineGauges.builder(orchestrator, registry).prefix("billing.prorch")
                .tags(Tags.of("orchestrator", "billing")).refreshEvery(Duration.ofHours(1)).bind();
        assertThat(afterRefresh(() -> registry.get("billing.prorch.pipelines").tags("pipeline", "Fast", "status",
                "finished", "orchestrator", "billing").gauge().value(), 1)).isEqualTo(1);

        gauges.close();
        gauges.refresh();   // a count that ends after close registers nothing
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void badOptionsAreRefusedWithWhatToDo() {
        orchestrator(InMemoryRepository.create());
        PipelineGauges.Builder builder = PipelineGauges.builder(orchestrator, registry);

        assertThatThrownBy(() -> builder.refreshEvery(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 s and 1 day");
        assertThatThrownBy(() -> builder.refreshEvery(Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT48H");
        assertThatThrownBy(() -> builder.refreshEvery(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.tags(Tags.of("status", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"status\"");
        assertThatThrownBy(() -> builder.prefix("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PipelineGauges.bind(null, registry)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("orchestrator");
        assertThatThrownBy(() -> PipelineGauges.bind(orchestrator, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("registry");
    }
}
