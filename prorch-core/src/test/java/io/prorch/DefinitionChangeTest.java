package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.InMemoryRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A redeploy that changes a pipeline's steps affects new runs only; runs in flight keep the list they started with. */
class DefinitionChangeTest {
    static final HookLog LOG = new HookLog();

    /** Waits for one pass, then finishes. */
    public abstract static class WaitsOnce implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            LOG.record(ctx, "onContinue");
            if (ctx.metadata().getBoolean("waited", false)) {
                ctx.finish();
            }
            ctx.metadata().put("waited", true);
        }
    }

    @Step(name = "Extract")
    public static class Extract extends WaitsOnce {
    }

    @Step(name = "Load")
    public static class Load extends WaitsOnce {
    }

    @Step(name = "Audit")
    public static class Audit extends WaitsOnce {
    }

    /** Version 1: Extract, Load. */
    @Pipeline(name = "Etl", steps = {Extract.class, Load.class})
    public static class EtlV1 {
    }

    /** Version 2: Audit added first, steps reordered. */
    @Pipeline(name = "Etl", steps = {Audit.class, Load.class, Extract.class})
    public static class EtlV2 {
    }

    /** Version 3: Load's class removed from the code base (only Extract and Audit remain registered). */
    @Pipeline(name = "Etl", steps = {Extract.class, Audit.class})
    public static class EtlV3 {
    }

    private final InMemoryRepository repository = InMemoryRepository.create();
    private final SettableClock clock = new SettableClock();

    private Orchestrator deploy(Class<?> version) {
        return new Orchestrator(OrchestratorConfig.builder().repository(repository).register(version).clock(clock)
                .build());
    }

    private PassSummary pass(Orchestrator orchestrator) {
        clock.advance(Duration.ofSeconds(1));
        return orchestrator.executePipelines();
    }

    @Test
    void inFlightRunsKeepTheirStepsNewRunsUseTheNewOnesAndARemovedStepParksVisibly() throws Exception {
        UUID old;
        try (Orchestrator v1 = deploy(EtlV1.class)) {
            old = v1.start(EtlV1.class, Map.of());
            v1.awaitIdle(Duration.ofSeconds(10));
        }
        UUID fresh;
        try (Orchestrator v2 = deploy(EtlV2.class)) {
            fresh = v2.start(EtlV2.class, Map.of());
            v2.awaitIdle(Duration.ofSeconds(10));
            LOG.drain();
            for (int i = 0; i < 6; i++) {
                pass(v2);
            }

            assertThat(v2.find(old).orElseThrow().steps()).extracting(StepView::name)
                    .containsExactly("Extract", "Load");
            assertThat(v2.find(old).orElseThrow().status()).isEqualTo(Status.FINISHED);
            assertThat(v2.find(fresh).orElseThrow().steps()).extracting(StepView::name)
                    .containsExactly("Audit", "Load", "Extract");
            assertThat(v2.find(fresh).orElseThrow().status()).isEqualTo(Status.FINISHED);
        }

        UUID stranded;
        try (Orchestrator v2 = deploy(EtlV2.class)) {
            stranded = v2.start(EtlV2.class, Map.of());
            v2.awaitIdle(Duration.ofSeconds(10));
        }
        try (Orchestrator v3 = deploy(EtlV3.class)) {
            PassSummary parked = pass(v3);

            assertThat(parked.skipped()).isEqualTo(1);
            assertThat(parked.problems()).singleElement().satisfies(p -> {
                assertThat(p.pipelineId()).isEqualTo(stranded);
                assertThat(p.message()).contains("no @Step named \"Load\"");
            });
            PipelineView view = v3.find(stranded).orElseThrow();
            assertThat(view.status()).isEqualTo(Status.PENDING);
            assertThat(view.lastError()).contains("Load");
            assertThat(view.steps()).extracting(StepView::name).isEqualTo(List.of("Audit", "Load", "Extract"));
        }
    }
}
