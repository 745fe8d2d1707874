package io.prorch.jdbc;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.PipelinePage;
import io.prorch.PipelineQuery;
import io.prorch.PipelineSummary;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.ClaimedPipeline;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two polling orchestrators on one database drive 60 pipelines to the end, each onStart exactly once. Extended by
 * {@link H2OrchestratorTest} and {@link PostgresOrchestratorTest} (top-level, so Surefire finds them).
 */
abstract class OrchestratorOnJdbcContract {
    static final Map<String, AtomicInteger> ON_START = new ConcurrentHashMap<>();

    /** Starts, then finishes on its second onContinue (so every pipeline needs passes too). */
    public abstract static class Twice implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            ON_START.computeIfAbsent(ctx.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
            ctx.metadata().put("input", ctx.pipelineMetadata().getLong("n"));
        }

        @Override
        public void onContinue(StepContext ctx) {
            long calls = ctx.metadata().getLong("calls", 0) + 1;
            ctx.metadata().put("calls", calls);
            if (calls == 2) {
                ctx.finish();
            }
        }
    }

    @Step(name = "J1")
    public static class J1 extends Twice {
    }

    @Step(name = "J2")
    public static class J2 extends Twice {
    }

    @Step(name = "J3")
    public static class J3 extends Twice {
    }

    @Pipeline(name = "JdbcPipeline", steps = {J1.class, J2.class, J3.class})
    public static class JdbcPipeline {
    }

    /** @return a fresh repository on the database under test */
    abstract IRepository repository();

    @Test
    @Timeout(60)
    void theClaimTellsEachPipelinesDueTimeBeforeItForTheClaimLag() {
        IRepository repository = repository();
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        Instant until = now.plusSeconds(60);
        PipelineRecord early = repository.save(aPipeline().withName("Lagging").withDueAt(now.minusSeconds(30))
                .build());
        PipelineRecord late = repository.save(aPipeline().withName("Lagging").withDueAt(now.minusMillis(10_250))
                .build());
        PipelineRecord other = repository.save(aPipeline().withName("Other").withDueAt(now.minusSeconds(5)).build());
        repository.save(aPipeline().withName("Lagging").withDueAt(now.plusSeconds(1)).build());   // not due yet

        // a segmented claim (by name), then one of every name: both statement shapes of each database
        List<ClaimedPipeline> byName = repository.claimDueWithDueTimes(new ClaimRequest("me", now, until, 10,
                Set.of("Lagging")));
        List<ClaimedPipeline> rest = repository.claimDueWithDueTimes(new ClaimRequest("me", now, until, 10));

        assertThat(byName).extracting(c -> c.pipeline().id(), ClaimedPipeline::wasDueAt).containsExactly(
                tuple(early.id(), early.dueAt()), tuple(late.id(), late.dueAt()));
        assertThat(rest).extracting(c -> c.pipeline().id(), ClaimedPipeline::wasDueAt)
                .containsExactly(tuple(other.id(), other.dueAt()));
        assertThat(byName).allSatisfy(c -> {
            assertThat(c.pipeline().dueAt()).isEqualTo(until);
            assertThat(c.pipeline().claimOwner()).isEqualTo("me");
        });
        assertThat(repository.claimDueWithDueTimes(new ClaimRequest("me", now, until, 10))).isEmpty();
    }

    @Test
    @Timeout(120)
    void twoPollingOrchestratorsFinishEveryPipelineRunningEachOnStartOnce() throws Exception {
        ON_START.clear();
        IRepository repository = repository();
        try (Orchestrator a = orchestrator(repository, "a"); Orchestrator b = orchestrator(repository, "b")) {
            for (int i = 0; i < 60; i++) {
                (i % 2 == 0 ? a : b).start(JdbcPipeline.class, Map.of("n", i));
            }
            a.startPolling(Duration.ofMillis(20));
            b.startPolling(Duration.ofMillis(20));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
            while (finished(repository) < 60 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        assertThat(finished(repository)).isEqualTo(60);
        assertThat(ON_START).hasSize(180);
        assertThat(ON_START.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(repository.search(Model.STEP, SearchFilter.all().where(SearchField.STATUS, Status.FINISHED)))
                .hasSize(180).allSatisfy(s -> assertThat(s.metadata()).containsEntry("calls", 2L));
        operatorsSeeEveryPipelineAndItsHistory(repository);
    }

    /** The operator's reads on this database: a query paged with its cursor, the counts, and each history. */
    private static void operatorsSeeEveryPipelineAndItsHistory(IRepository repository) {
        try (Orchestrator reader = orchestrator(repository, "reader")) {
            PipelinePage first = reader.query(PipelineQuery.builder().status(Status.FINISHED).limit(50).build());
            PipelinePage second = reader.query(PipelineQuery.builder().status(Status.FINISHED).limit(50)
                    .after(first.nextCursor()).build());
            List<PipelineSummary> all = new ArrayList<>(first.items());
            all.addAll(second.items());
            assertThat(all).hasSize(60).extracting(PipelineSummary::id).doesNotHaveDuplicates();
            assertThat(all).extracting(PipelineSummary::createdAt).isSortedAccordingTo(Comparator.reverseOrder());
            assertThat(second.nextCursor()).isNull();
            assertThat(reader.counts().byName()).containsOnly(Map.entry("JdbcPipeline", Map.of(Status.FINISHED, 60L)));
            for (PipelineSummary pipeline : all) {
                assertThat(reader.history(pipeline.id())).extracting(e -> e.stepName() + ":" + e.toStatus())
                        .containsExactly("null:PENDING", "J1:PENDING", "J1:FINISHED", "J2:PENDING", "J2:FINISHED",
                                "J3:PENDING", "J3:FINISHED", "null:FINISHED");
            }
        }
    }

    private static int finished(IRepository repository) {
        return repository.search(Model.PIPELINE, SearchFilter.all().where(SearchField.STATUS, Status.FINISHED))
                .size();
    }

    private static Orchestrator orchestrator(IRepository repository, String id) {
        return new Orchestrator(OrchestratorConfig.builder().repository(repository).register(JdbcPipeline.class)
                .orchestratorId(id).batchSize(20).build());
    }
}
