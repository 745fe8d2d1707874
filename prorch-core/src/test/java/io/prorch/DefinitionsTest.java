package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.InMemoryRepository;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tools that draw pipelines read the registered definitions and their steps, in order. */
class DefinitionsTest {

    @Step(name = "Alpha")
    public static class Alpha implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    @Step(name = "Beta")
    public static class Beta implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    @Pipeline(name = "Zulu", steps = {Beta.class, Alpha.class})
    public static class Zulu {
    }

    @Pipeline(name = "Able", steps = {Alpha.class})
    public static class Able {
    }

    @Test
    void listsEveryPipelineSortedByNameWithItsStepsInOrder() {
        try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
                .repository(InMemoryRepository.create()).register(Zulu.class, Able.class).build())) {

            List<PipelineDefinitionView> definitions = orchestrator.definitions();

            assertThat(definitions).containsExactly(
                    new PipelineDefinitionView("Able", Able.class.getName(), List.of("Alpha")),
                    new PipelineDefinitionView("Zulu", Zulu.class.getName(), List.of("Beta", "Alpha")));
            assertThatThrownBy(() -> definitions.get(0).steps().add("Gamma"))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void aViewRejectsNullParts() {
        assertThatThrownBy(() -> new PipelineDefinitionView(null, "t", List.of()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> new PipelineDefinitionView("n", "t", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("steps");
    }
}
