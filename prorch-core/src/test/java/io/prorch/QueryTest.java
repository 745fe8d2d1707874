package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.InMemoryRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Operators list pipelines page by page and count them, on any store, through search. */
class QueryTest {
    /** Fails when the input says so, else finishes. */
    @Step(name = "Work", maxAttempts = 1)
    public static class Work implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            if (ctx.pipelineMetadata().getBoolean("fail", false)) {
                throw new IllegalStateException("told to fail");
            }
        }
    }

    /** Waits for good. */
    @Step(name = "Wait")
    public static class Wait implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            ctx.continueAfter(Duration.ofDays(1));
        }
    }

    @Pipeline(name = "Job", steps = Work.class)
    public static class Job {
    }

    @Pipeline(name = "Waiter", steps = Wait.class)
    public static class Waiter {
    }

    private final SettableClock clock = new SettableClock();
    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
            .repository(InMemoryRepository.create()).register(Job.class, Waiter.class).clock(clock).build());

    @AfterEach
    void close() {
        orchestrator.close();
    }

    private List<UUID> start(int jobs, boolean fail) throws InterruptedException {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            ids.add(orchestrator.starter(Job.class).idempotencyKey("job-" + fail + "-" + i)
                    .input(Map.of("fail", fail)).start());
            clock.advance(Duration.ofMillis(1));
        }
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        return ids;
    }

    @Test
    void pagesThroughFailedPipelinesNewestFirstEachOnce() throws InterruptedException {
        start(3, false);
        List<UUID> failed = start(7, true);
        orchestrator.start(Waiter.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));

        List<PipelineSummary> seen = new ArrayList<>();
        PipelineQuery.Builder query = PipelineQuery.builder().status(Status.FAILED).limit(3);
        PipelinePage page = orchestrator.query(query.build());
        seen.addAll(page.items());
        while (page.hasNext()) {
            page = orchestrator.query(query.after(page.nextCursor()).build());
            seen.addAll(page.items());
        }

        assertThat(seen).extracting(PipelineSummary::id).containsExactlyElementsOf(reversed(failed));
        PipelineSummary newest = seen.get(0);
        assertThat(newest.status()).isEqualTo(Status.FAILED);
        assertThat(newest.name()).isEqualTo("Job");
        assertThat(newest.currentStep()).isEqualTo("Work");
        assertThat(newest.businessKey()).isEqualTo("job-true-6");
        assertThat(newest.lastError()).contains("told to fail");
        assertThat(newest.version()).isEqualTo(orchestrator.find(newest.id()).orElseThrow().version());
    }

    private static List<UUID> reversed(List<UUID> ids) {
        List<UUID> copy = new ArrayList<>(ids);
        java.util.Collections.reverse(copy);
        return copy;
    }

    @Test
    void filtersByNameKeyAndTime() throws InterruptedException {
        Instant before = clock.instant();
        start(2, false);
        clock.advance(Duration.ofMillis(10));
        Instant middle = clock.instant();
        start(2, true);
        UUID waiter = orchestrator.start(Waiter.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));

        assertThat(orchestrator.query(PipelineQuery.builder().name("Waiter").build()).items())
                .extracting(PipelineSummary::id).containsExactly(waiter);
        assertThat(orchestrator.query(PipelineQuery.builder().name("Job", "Waiter").status(Status.PENDING).build())
                .items()).extracting(PipelineSummary::id).containsExactly(waiter);
        assertThat(orchestrator.query(PipelineQuery.builder().businessKey("job-false-1").build()).items())
                .extracting(PipelineSummary::businessKey).containsExactly("job-false-1");
        assertThat(orchestrator.query(PipelineQuery.builder().createdBetween(before, middle).build()).items())
                .extracting(PipelineSummary::businessKey).containsExactly("job-false-1", "job-false-0");
        assertThat(orchestrator.query(PipelineQuery.builder().updatedBetween(middle, null).name("Job").build())
                .items()).hasSize(2);
        PipelinePage all = orchestrator.query(PipelineQuery.builder().build());
        assertThat(all.items()).hasSize(5);
        assertThat(all.nextCursor()).isNull();
        assertThat(new HashSet<>(orchestrator.query(PipelineQuery.builder().name("Nope").build()).items())).isEmpty();
    }

    @Test
    void countsByStatusAndName() throws InterruptedException {
        start(3, false);
        start(2, true);
        orchestrator.start(Waiter.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));

        PipelineCounts counts = orchestrator.counts();

        assertThat(counts.count(Status.FINISHED)).isEqualTo(3);
        assertThat(counts.count(Status.FAILED)).isEqualTo(2);
        assertThat(counts.count(Status.CANCELLED)).isZero();
        assertThat(counts.byName().get("Job")).containsOnly(Map.entry(Status.FINISHED, 3L),
                Map.entry(Status.FAILED, 2L));
        assertThat(counts.byName().get("Waiter")).containsOnly(Map.entry(Status.PENDING, 1L));
        assertThat(counts.total()).isEqualTo(6);
        assertThat(counts.estimated()).isFalse();
    }

    @Test
    void refusesBadQueriesWithMessagesThatSayWhatToDo() {
        assertThatThrownBy(() -> PipelineQuery.builder().limit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit must be 1 to 1000, but was 0");
        assertThatThrownBy(() -> PipelineQuery.builder().limit(1001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1001");
        assertThatThrownBy(() -> PipelineQuery.builder().after("not a cursor!"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Malformed cursor")
                .hasMessageContaining("nextCursor");
        String wrongPayload = java.util.Base64.getUrlEncoder().encodeToString("p1|yesterday|x".getBytes());
        assertThatThrownBy(() -> PipelineQuery.builder().after(wrongPayload))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Malformed cursor");
        assertThatThrownBy(() -> PipelineQuery.builder().after("x".repeat(500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Malformed cursor");
        assertThatThrownBy(() -> PipelineQuery.builder().after("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PipelineQuery.builder().status()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one status");
        assertThatThrownBy(() -> PipelineQuery.builder().status((Status) null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PipelineQuery.builder().name(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name must be 1 to 200");
        assertThatThrownBy(() -> PipelineQuery.builder().businessKey("k".repeat(201)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("businessKey");
        assertThatThrownBy(() -> PipelineQuery.builder().createdBetween(Instant.MAX, Instant.MIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is after");
        assertThatThrownBy(() -> orchestrator.query(null)).isInstanceOf(NullPointerException.class);
        assertThat(PipelineQuery.builder().after(null).build().position()).isNull();
        assertThat(PipelineQuery.builder().build().limit()).isEqualTo(PipelineQuery.DEFAULT_LIMIT);
    }

    @Test
    void cursorsRoundTrip() {
        PipelineQuery.Position position = new PipelineQuery.Position(Instant.parse("2026-01-02T03:04:05.123456Z"),
                UUID.randomUUID());
        assertThat(PipelineQuery.decode(position.cursor())).isEqualTo(position);
        assertThat(position.cursor()).doesNotContain("|", "+", "/", "=");
    }
}
