package io.prorch.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.InMemoryRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every hook call is one observation, with names as low- and the pipeline id as high-cardinality keys. */
class HookObservationsTest {

    /** Throws on its first attempt, then finishes. */
    @Step(name = "Second", maxAttempts = 2, initialBackoffMillis = 1000)
    public static class Second implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            if (ctx.attempt() == 1) {
                throw new IllegalStateException("first try fails");
            }
        }
    }

    @Pipeline(name = "Traced", steps = Second.class)
    public static class Traced {
    }

    @Test
    void eachHookCallIsAnObservationThatRecordsTheHooksError() throws Exception {
        TestObservationRegistry registry = TestObservationRegistry.create();
        SettableClock clock = new SettableClock();
        UUID id;
        try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
                .repository(InMemoryRepository.create()).register(Traced.class).clock(clock)
                .interceptor(HookObservations.interceptor(registry)).build())) {
            id = orchestrator.start(Traced.class);
            orchestrator.awaitIdle(Duration.ofSeconds(10));
            clock.advance(Duration.ofSeconds(5));
            orchestrator.executePipelines();
            assertThat(orchestrator.find(id).orElseThrow().status()).isEqualTo(Status.FINISHED);
        }

        assertThat(registry).hasNumberOfObservationsWithNameEqualTo(HookObservations.NAME, 2)
                .forAllObservationsWithNameEqualTo(HookObservations.NAME, o -> o
                        .hasContextualNameEqualTo("Traced Second.onStart")
                        .hasLowCardinalityKeyValue("prorch.pipeline", "Traced")
                        .hasLowCardinalityKeyValue("prorch.step", "Second")
                        .hasLowCardinalityKeyValue("prorch.hook", "onStart")
                        .hasHighCardinalityKeyValue("prorch.pipeline.id", id.toString())
                        .doesNotHaveLowCardinalityKeyValueWithKey("prorch.pipeline.id"))
                .hasAnObservation(o -> o.hasHighCardinalityKeyValue("prorch.attempt", "1")
                        .hasError()
                        .satisfies(context -> assertThat(((Observation.Context) context).getError())
                                .hasMessage("first try fails")))
                .hasAnObservation(o -> o.hasHighCardinalityKeyValue("prorch.attempt", "2").doesNotHaveError());
    }
}
