package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.ChildWait;
import io.prorch.Children;
import io.prorch.OnCompensate;
import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.StepView;
import io.prorch.repository.IRepository;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compensation (sagas) and child pipelines (fan-out / fan-in) end to end on one store, with a polling orchestrator.
 * Extended per store: {@link InMemoryShapesTest}, {@link H2ShapesTest}, {@link PostgresShapesTest}.
 */
abstract class ShapesContract {
    /** What the hooks did, by pipeline id, in order. */
    static final Map<UUID, Queue<String>> LEDGER = new ConcurrentHashMap<>();
    static final AtomicBoolean REFUND_BROKEN = new AtomicBoolean();

    static void log(StepContext ctx, String what) {
        LEDGER.computeIfAbsent(ctx.pipelineId(), k -> new ConcurrentLinkedQueue<>()).add(what);
    }

    @Step(name = "ShapeFlight")
    public static class Flight implements OnStart, OnCompensate {
        @Override
        public void onStart(StepContext ctx) {
            log(ctx, "book flight");
            ctx.metadata().put("booking", "FL-1");
        }

        @Override
        public void onCompensate(StepContext ctx) {
            log(ctx, "cancel flight " + ctx.metadata().getString("booking"));
        }
    }

    /** Its compensation throws on the first attempt when asked to (retried), and every time while REFUND_BROKEN. */
    @Step(name = "ShapeHotel", maxAttempts = 2, initialBackoffMillis = 10)
    public static class Hotel implements OnStart, OnContinue, OnCompensate {
        @Override
        public void onStart(StepContext ctx) {
            log(ctx, "book hotel");
        }

        @Override
        public void onContinue(StepContext ctx) {
            ctx.finish();
        }

        @Override
        public void onCompensate(StepContext ctx) {
            if (REFUND_BROKEN.get() || ctx.pipelineMetadata().getBoolean("flakyRefund", false) && ctx.attempt() == 1) {
                log(ctx, "refund hotel threw");
                throw new IllegalStateException("refund service down");
            }
            log(ctx, "refund hotel #" + ctx.attempt());
        }
    }

    @Step(name = "ShapeNote")
    public static class Note implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            log(ctx, "note");
        }
    }

    /** Fails, or waits an hour, as the input says. */
    @Step(name = "ShapeCar")
    public static class Car implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            log(ctx, "book car");
            if (!ctx.pipelineMetadata().getBoolean("carWaits", false)) {
                ctx.fail("no cars left");
            }
        }

        @Override
        public void onContinue(StepContext ctx) {
            ctx.continueAfter(Duration.ofHours(1));
        }
    }

    @Pipeline(name = "ShapeTrip", steps = {Flight.class, Hotel.class, Note.class, Car.class})
    public static class Trip {
    }

    /** A child: squares its input, fails on 13 when asked to, or waits an hour. */
    @Step(name = "ShapeSquare")
    public static class Square implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            long n = ctx.pipelineMetadata().getLong("n");
            if (ctx.pipelineMetadata().getBoolean("slow", false)) {
                return;
            }
            if (n == 13 && ctx.pipelineMetadata().getBoolean("unlucky", false)) {
                ctx.fail("unlucky 13");
                return;
            }
            ctx.pipelineMetadata().put("square", n * n);
            ctx.finish();
        }

        @Override
        public void onContinue(StepContext ctx) {
            ctx.continueAfter(Duration.ofHours(1));
        }
    }

    @Pipeline(name = "ShapeWork", steps = Square.class)
    public static class Work {
    }

    /** Fans out to {@code count} children, waits as {@code wait} says, and sums what they left. */
    @Step(name = "ShapeSplit")
    public static class Split implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            long count = ctx.pipelineMetadata().getLong("count");
            for (long i = 0; i < count; i++) {
                ctx.startChild(Work.class, Map.of("n", i, "unlucky", ctx.pipelineMetadata().getBoolean("unlucky",
                        false), "slow", ctx.pipelineMetadata().getBoolean("slow", false)));
            }
            String wait = ctx.pipelineMetadata().getString("wait", "all");
            ctx.awaitChildren(wait.equals("any") ? ChildWait.any() : ChildWait.all());
        }

        @Override
        public void onContinue(StepContext ctx) {
            Children children = ctx.children();
            log(ctx, "continued with " + children.ended().size() + " ended");
            long sum = children.finished().stream().mapToLong(c -> ((Number) c.metadata().get("square")).longValue())
                    .sum();
            ctx.pipelineMetadata().put("sum", sum).put("ended", (long) children.ended().size())
                    .put("unsuccessful", children.unsuccessful().stream().map(Children.Child::lastError).toList());
            ctx.finish();
        }
    }

    @Pipeline(name = "ShapeFanOut", steps = Split.class)
    public static class FanOut {
    }

    private Orchestrator orchestrator;

    /** @return a fresh store */
    abstract IRepository repository();

    @BeforeEach
    void start() {
        LEDGER.clear();
        REFUND_BROKEN.set(false);
        orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository())
                .register(Trip.class, FanOut.class, Work.class).build());
        orchestrator.startPolling(Duration.ofMillis(20));
    }

    @AfterEach
    void stop() {
        orchestrator.close();
    }

    private PipelineView done(UUID id) throws InterruptedException {
        PipelineView view = orchestrator.awaitCompletion(id, Duration.ofSeconds(30));
        assertThat(view.status().isTerminal()).as("ended: %s", view).isTrue();
        return view;
    }

    private static Status status(PipelineView view, String step) {
        return view.step(step).map(StepView::status).orElseThrow();
    }

    @Test
    @Timeout(60)
    void aFailedStepCompensatesTheFinishedStepsInReverseOrderRetryingAHookThatThrows() throws Exception {
        UUID id = orchestrator.start(Trip.class, Map.of("flakyRefund", true));

        PipelineView trip = done(id);

        assertThat(trip.status()).isEqualTo(Status.COMPENSATED);
        assertThat(trip.lastError()).isEqualTo("Step \"ShapeCar\" failed: no cars left; compensated");
        assertThat(LEDGER.get(id)).containsExactly("book flight", "book hotel", "note", "book car",
                "refund hotel threw", "refund hotel #2", "cancel flight FL-1");
        assertThat(status(trip, "ShapeFlight")).isEqualTo(Status.COMPENSATED);
        assertThat(status(trip, "ShapeHotel")).isEqualTo(Status.COMPENSATED);
        assertThat(status(trip, "ShapeNote")).isEqualTo(Status.FINISHED);   // nothing to undo
        assertThat(status(trip, "ShapeCar")).isEqualTo(Status.FAILED);
        assertThat(trip.metadata()).doesNotContainKey("_prorch.compensation").containsEntry("flakyRefund", true);
    }

    @Test
    @Timeout(60)
    void aCompensationThatFailsForGoodFailsThePipelineAndARetryCompensatesAgain() throws Exception {
        REFUND_BROKEN.set(true);
        UUID id = orchestrator.start(Trip.class);

        PipelineView failed = done(id);

        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.lastError()).startsWith("Compensation of step \"ShapeHotel\" failed: Step \"ShapeHotel\""
                + " failed after 2 attempts: java.lang.IllegalStateException: refund service down")
                .endsWith("(compensating after: Step \"ShapeCar\" failed: no cars left)");
        assertThat(status(failed, "ShapeHotel")).isEqualTo(Status.FAILED);
        assertThat(status(failed, "ShapeFlight")).isEqualTo(Status.FINISHED);   // never reached

        REFUND_BROKEN.set(false);
        orchestrator.retry(id, failed.version());
        PipelineView compensated = done(id);

        assertThat(compensated.status()).isEqualTo(Status.COMPENSATED);
        assertThat(status(compensated, "ShapeHotel")).isEqualTo(Status.COMPENSATED);
        assertThat(status(compensated, "ShapeFlight")).isEqualTo(Status.COMPENSATED);
        assertThat(LEDGER.get(id)).endsWith("refund hotel #1", "cancel flight FL-1")
                .filteredOn(s -> s.startsWith("book")).hasSize(3);
    }

    @Test
    @Timeout(60)
    void aCancelFromOutsideCompensatesTheFinishedSteps() throws Exception {
        UUID id = orchestrator.start(Trip.class, Map.of("carWaits", true));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!LEDGER.getOrDefault(id, new ConcurrentLinkedQueue<>()).contains("book car")
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertThat(orchestrator.cancel(id, "customer changed plans")).isTrue();
        PipelineView cancelled = done(id);

        assertThat(cancelled.status()).isEqualTo(Status.COMPENSATED);
        assertThat(cancelled.lastError()).isEqualTo("Cancelled: customer changed plans; compensated");
        assertThat(status(cancelled, "ShapeCar")).isEqualTo(Status.CANCELLED);
        assertThat(LEDGER.get(id)).endsWith("refund hotel #1", "cancel flight FL-1");
        assertThat(orchestrator.cancel(id, "again")).isFalse();
    }

    @Test
    @Timeout(60)
    void aParentFansOutAndReadsEveryChildsResultOnceAllEnded() throws Exception {
        UUID id = orchestrator.start(FanOut.class, Map.of("count", 20L, "unlucky", true));

        PipelineView parent = done(id);

        assertThat(parent.status()).isEqualTo(Status.FINISHED);
        long expected = 0;
        for (long i = 0; i < 20; i++) {
            expected += i == 13 ? 0 : i * i;
        }
        assertThat(parent.metadata()).containsEntry("sum", expected).containsEntry("ended", 20L)
                .containsEntry("unsuccessful", List.of("Step \"ShapeSquare\" failed: unlucky 13"));
        // the hook ran once, with every child ended: the engine held it back until then
        assertThat(LEDGER.get(id)).containsExactly("continued with 20 ended");
        List<Object> children = parent.steps().get(0).metadata().get("_prorch.children") instanceof List<?> l
                ? List.copyOf(l) : List.of();
        assertThat(children).hasSize(20);
        for (Object child : children) {
            PipelineView view = orchestrator.find(UUID.fromString((String) child)).orElseThrow();
            assertThat(view.parentId()).contains(id);
            assertThat(view.status().isTerminal()).isTrue();
        }
        assertThat(parent.parentId()).isEmpty();
    }

    @Test
    @Timeout(60)
    void aParentThatWaitsForAnyGoesOnAfterTheFirstChild() throws Exception {
        UUID id = orchestrator.start(FanOut.class, Map.of("count", 3L, "wait", "any"));

        PipelineView parent = done(id);

        assertThat(parent.status()).isEqualTo(Status.FINISHED);
        assertThat((Long) parent.metadata().get("ended")).isBetween(1L, 3L);
    }

    @Test
    @Timeout(60)
    void cancellingTheParentCancelsItsRunningChildren() throws Exception {
        UUID id = orchestrator.start(FanOut.class, Map.of("count", 5L, "slow", true));
        PipelineView waiting = orchestrator.find(id).orElseThrow();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!(waiting.steps().get(0).metadata().get("_prorch.childWait") != null) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            waiting = orchestrator.find(id).orElseThrow();
        }
        List<?> children = (List<?>) waiting.steps().get(0).metadata().get("_prorch.children");

        assertThat(orchestrator.cancel(id, "no longer needed")).isTrue();

        assertThat(children).hasSize(5);
        for (Object child : children) {
            PipelineView view = orchestrator.find(UUID.fromString((String) child)).orElseThrow();
            assertThat(view.status()).isEqualTo(Status.CANCELLED);
            assertThat(view.lastError()).contains("its parent pipeline " + id + " was cancelled: no longer needed");
        }
    }

    @Test
    @Timeout(60)
    void childrenOfAHookAreValidatedAndAWaitNeedsChildren() {
        assertThatThrownBy(() -> new ChildWait(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ChildWait.all().timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> ChildWait.atLeast(-2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChildWait.all().timeout(null)).isInstanceOf(NullPointerException.class);
        assertThat(ChildWait.atLeast(3).timeout(Duration.ofMinutes(5)))
                .isEqualTo(new ChildWait(3, Duration.ofMinutes(5)));
    }
}
