package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.ClaimRequest;
import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StoredRecord;
import io.prorch.test.ForwardingRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A pipeline whose name or step names have no class is left intact, reported, and resumes when they are back. */
class UnknownNamesTest {
    /** Waits until the pipeline metadata says "go". */
    @Step(name = "WaitForGo")
    public static class WaitForGo implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            if (ctx.pipelineMetadata().getBoolean("go", false)) {
                ctx.finish();
            }
            ctx.pipelineMetadata().put("go", true);
        }
    }

    @Step(name = "Other")
    public static class Other implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    @Pipeline(name = "Renamed", steps = WaitForGo.class)
    public static class Renamed {
    }

    @Pipeline(name = "Unrelated", steps = Other.class)
    public static class Unrelated {
    }

    private final InMemoryRepository repository = InMemoryRepository.create();
    private final SettableClock clock = new SettableClock();

    private Orchestrator orchestrator(Class<?>... classes) {
        return new Orchestrator(OrchestratorConfig.builder().repository(repository).register(classes).clock(clock)
                .build());
    }

    @Test
    void unknownPipelineIsReportedLeftIntactAndResumesOnceItsClassIsBack() throws Exception {
        UUID id;
        try (Orchestrator before = orchestrator(Renamed.class)) {
            id = before.start(Renamed.class, Map.of());
            before.awaitIdle(Duration.ofSeconds(10));
        }

        try (Orchestrator without = orchestrator(Unrelated.class)) {
            clock.advance(Duration.ofSeconds(1));
            PassSummary pass = without.executePipelines();

            assertThat(pass.skipped()).isEqualTo(1);
            assertThat(pass.problems()).singleElement().satisfies(p -> {
                assertThat(p.pipelineId()).isEqualTo(id);
                assertThat(p.message()).contains("no @Pipeline named \"Renamed\"");
            });
            PipelineView parked = without.find(id).orElseThrow();
            assertThat(parked.status()).isEqualTo(Status.PENDING);
            assertThat(parked.lastError()).contains("Renamed");
            assertThat(parked.steps()).singleElement().extracting(StepView::status).isEqualTo(Status.PENDING);
            assertThat(parked.claimOwner()).isNull();
        }

        try (Orchestrator after = orchestrator(Renamed.class)) {
            clock.advance(Duration.ofSeconds(1));
            PassSummary pass = after.executePipelines();

            assertThat(pass.finished()).isEqualTo(1);
            assertThat(after.find(id).orElseThrow().lastError()).isNull();
        }
    }

    @Test
    void unknownStepNameParksThePipelineToo() throws Exception {
        UUID id;
        try (Orchestrator before = orchestrator(Renamed.class)) {
            id = before.start(Renamed.class, Map.of());
            before.awaitIdle(Duration.ofSeconds(10));
        }

        /** A pipeline named like the old one, but whose step "WaitForGo" no longer exists. */
        try (Orchestrator without = orchestrator(RenamedWithoutStep.class)) {
            clock.advance(Duration.ofSeconds(1));
            PassSummary pass = without.executePipelines();

            assertThat(pass.skipped()).isEqualTo(1);
            assertThat(pass.problems().get(0).message()).contains("no @Step named \"WaitForGo\"");
            assertThat(without.find(id).orElseThrow().status()).isEqualTo(Status.PENDING);
        }
    }

    @Test
    void pipelinesThatCannotRunAreLookedAtLessAndLessOftenAndReportedOnce() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        ForwardingRepository counting = new ForwardingRepository(repository) {
            @Override
            public List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
                writes.addAndGet(records.size());
                return super.updateAll(records);
            }

            @Override
            public List<PipelineRecord> claimDue(ClaimRequest request) {
                List<PipelineRecord> claimed = super.claimDue(request);
                writes.addAndGet(claimed.size());
                return claimed;
            }
        };
        try (Orchestrator before = orchestrator(Renamed.class)) {
            for (int i = 0; i < 50; i++) {
                before.start(Renamed.class, Map.of());
            }
            before.awaitIdle(Duration.ofSeconds(10));
        }

        int problems = 0;
        try (Orchestrator without = new Orchestrator(OrchestratorConfig.builder().repository(counting)
                .register(Unrelated.class).clock(clock).build())) {
            for (int second = 0; second < 120; second++) {
                clock.advance(Duration.ofSeconds(1));
                problems += without.executePipelines().problems().size();
            }
        }

        // every second: 50 claims and 50 releases, 12,000 writes in two minutes; set aside: looks after 1, 2, 4, ...
        // 64 s of the step standing still, then one a minute
        assertThat(writes.get()).isBetween(50 * 2 * 6, 50 * 2 * 9);
        assertThat(problems).isEqualTo(50);
        assertThat(repository.search(Model.PIPELINE, SearchFilter.all())).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(Status.PENDING);
            assertThat(p.lastError()).contains("no @Pipeline named \"Renamed\"");
        });
    }

    @Pipeline(name = "Renamed", steps = Other.class)
    public static class RenamedWithoutStep {
    }
}
