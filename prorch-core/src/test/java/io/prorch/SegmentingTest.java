package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.InMemoryRepository;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An orchestrator limited to some pipeline names claims only those: two of them own independent workflows. */
class SegmentingTest {

    @Step(name = "SegmentDone")
    public static class Done implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.finish();
        }
    }

    @Pipeline(name = "Alpha", steps = Done.class)
    public static class Alpha {
    }

    @Pipeline(name = "Beta", steps = Done.class)
    public static class Beta {
    }

    private final InMemoryRepository repository = InMemoryRepository.create();

    private Orchestrator only(String... names) {
        return new Orchestrator(OrchestratorConfig.builder().repository(repository).register(Alpha.class, Beta.class)
                .onlyPipelines(names).storeClock(false).build());
    }

    @Test
    void eachOrchestratorClaimsOnlyItsOwnPipelines() {
        try (Orchestrator alpha = only("Alpha"); Orchestrator beta = only("Beta")) {
            UUID a = alpha.starter(Alpha.class).inTransaction(repository).start();
            UUID b = alpha.starter(Beta.class).inTransaction(repository).start();

            assertThat(alpha.executePipelines().finished()).isEqualTo(1);
            assertThat(alpha.find(a)).get().extracting(PipelineView::status).isEqualTo(Status.FINISHED);
            assertThat(alpha.find(b)).get().extracting(PipelineView::status).isEqualTo(Status.PENDING);

            assertThat(beta.executePipelines().finished()).isEqualTo(1);
            assertThat(beta.find(b)).get().extracting(PipelineView::status).isEqualTo(Status.FINISHED);
            assertThat(beta.config().onlyPipelines()).containsExactly("Beta");
        }
    }

    @Test
    void onlyPipelinesRejectsWhatCannotBeANameAndBuildReportsUnknownNames() {
        var builder = OrchestratorConfig.builder().repository(repository).register(Alpha.class);

        assertThatThrownBy(() -> builder.onlyPipelines()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one pipeline name");
        assertThatThrownBy(() -> builder.onlyPipelines((String[]) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.onlyPipelines("Alpha", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.onlyPipelines(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> builder.onlyPipelines("Alpha", "Gamma").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("onlyPipelines names \"Gamma\", which is not a registered pipeline");
        assertThat(builder.onlyPipelines("Alpha").build().onlyPipelines()).containsExactly("Alpha");
    }
}
