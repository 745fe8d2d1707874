package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.ClaimRequest;
import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.test.ForwardingRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Four orchestrators sharing one store, each driven by its own thread in a loop, never run a hook twice. */
class ConcurrencyTest {
    static final Map<String, AtomicInteger> ON_START_CALLS = new ConcurrentHashMap<>();
    static final Map<UUID, AtomicInteger> IN_HOOK = new ConcurrentHashMap<>();
    static final AtomicInteger OVERLAPS = new AtomicInteger();

    /** Counts onStart per step, detects two hooks of one pipeline at once, and finishes on its 2nd onContinue. */
    public abstract static class Counted implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            enter(ctx);
            try {
                ON_START_CALLS.computeIfAbsent(ctx.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
            } finally {
                leave(ctx);
            }
        }

        @Override
        public void onContinue(StepContext ctx) {
            enter(ctx);
            try {
                long calls = ctx.metadata().getLong("calls", 0) + 1;
                ctx.metadata().put("calls", calls);
                if (calls >= 2) {
                    ctx.finish();
                }
            } finally {
                leave(ctx);
            }
        }

        private static void enter(StepContext ctx) {
            if (IN_HOOK.computeIfAbsent(ctx.pipelineId(), k -> new AtomicInteger()).incrementAndGet() > 1) {
                OVERLAPS.incrementAndGet();
            }
            Thread.yield();
        }

        private static void leave(StepContext ctx) {
            IN_HOOK.get(ctx.pipelineId()).decrementAndGet();
        }
    }

    @Step(name = "C1")
    public static class C1 extends Counted {
    }

    @Step(name = "C2")
    public static class C2 extends Counted {
    }

    @Step(name = "C3")
    public static class C3 extends Counted {
    }

    @Pipeline(name = "Concurrent", steps = {C1.class, C2.class, C3.class})
    public static class Concurrent {
    }

    private final List<Orchestrator> orchestrators = new ArrayList<>();

    @AfterEach
    void close() {
        orchestrators.forEach(Orchestrator::close);
        ON_START_CALLS.clear();
        IN_HOOK.clear();
        OVERLAPS.set(0);
    }

    @Test
    @Timeout(60)
    void everyOnStartRunsExactlyOnceAndNoTwoHooksOfOnePipelineOverlap() throws Exception {
        InMemoryRepository repository = InMemoryRepository.create();

        int passes = runFourOrchestrators(repository, 200, Duration.ofSeconds(50));

        assertThat(passes).isPositive();
        assertThat(finishedCount(repository)).isEqualTo(200);
        assertThat(ON_START_CALLS).hasSize(200 * 3);
        assertThat(ON_START_CALLS.values()).allSatisfy(calls -> assertThat(calls.get()).isEqualTo(1));
        assertThat(OVERLAPS.get()).isZero();
        assertThat(repository.search(Model.STEP, SearchFilter.all().where(SearchField.STATUS, Status.FINISHED)))
                .hasSize(200 * 3)
                .allSatisfy(step -> assertThat(step.metadata()).containsEntry("calls", 2L));
    }

    @Test
    @Timeout(60)
    void theSameChecksCatchAStoreWhoseClaimsDoNotExclude() throws Exception {
        IRepository broken = new NonExclusiveClaims();

        runFourOrchestrators(broken, 50, Duration.ofSeconds(10));

        boolean repeated = ON_START_CALLS.values().stream().anyMatch(calls -> calls.get() > 1);
        assertThat(repeated || OVERLAPS.get() > 0).as("a double run must be detected").isTrue();
    }

    /** Starts {@code pipelines} across four orchestrators, then drives each from its own thread until all finish. */
    private int runFourOrchestrators(IRepository repository, int pipelines, Duration limit) throws Exception {
        for (int i = 0; i < 4; i++) {
            orchestrators.add(new Orchestrator(OrchestratorConfig.builder().repository(repository)
                    .register(Concurrent.class).orchestratorId("o" + i).batchSize(16).workerThreads(3).build()));
        }
        for (int i = 0; i < pipelines; i++) {
            orchestrators.get(i % 4).start(Concurrent.class, Map.of("n", i));
        }
        long deadline = System.nanoTime() + limit.toNanos();
        ExecutorService drivers = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> passes = new ArrayList<>();
        for (Orchestrator orchestrator : orchestrators) {
            passes.add(drivers.submit(() -> {
                go.await();
                int count = 0;
                while (finishedCount(repository) < pipelines && System.nanoTime() < deadline) {
                    orchestrator.executePipelines();
                    count++;
                }
                return count;
            }));
        }
        go.countDown();
        int total = 0;
        for (Future<Integer> f : passes) {
            total += f.get(limit.toSeconds() + 10, TimeUnit.SECONDS);
        }
        drivers.shutdown();
        return total;
    }

    /** A deliberately broken store: claimDue hands out due pipelines without recording the claim. */
    static final class NonExclusiveClaims extends ForwardingRepository {
        @Override
        public List<PipelineRecord> claimDue(ClaimRequest request) {
            return delegate.search(Model.PIPELINE, SearchFilter.all().where(SearchField.STATUS, Status.PENDING)
                    .dueAtOrBefore(request.now()).limit(request.limit())).stream()
                    .map(p -> p.withClaim(request.owner(), request.until())).toList();
        }
    }

    private static int finishedCount(IRepository repository) {
        return repository.search(Model.PIPELINE, SearchFilter.all().where(SearchField.STATUS, Status.FINISHED))
                .size();
    }
}
