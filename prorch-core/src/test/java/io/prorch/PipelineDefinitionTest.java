package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.InMemoryRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Pipelines defined in code: validated like scanned ones, run like them, and versioned for runs in flight. */
class PipelineDefinitionTest {
    private final InMemoryRepository repository = InMemoryRepository.create();
    private final SettableClock clock = new SettableClock();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @Pipeline(name = "Annotated", steps = Noop.class)
    public static class Annotated {
    }

    @Step(name = "Noop")
    public static class Noop implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    /** A step that records its call and finishes: onStart only. */
    private OnStart recording(String label) {
        return ctx -> calls.add(label + ":" + ctx.pipelineMetadata().getString("text", ""));
    }

    /** A step that waits until the pipeline metadata says "go", then records and finishes. */
    private OnContinue gated(String label) {
        return ctx -> {
            if (ctx.pipelineMetadata().getBoolean("go", false)) {
                calls.add(label);
                ctx.finish();
            }
        };
    }

    private Orchestrator orchestrator(PipelineDefinition... definitions) {
        OrchestratorConfig.Builder builder = OrchestratorConfig.builder().repository(repository).clock(clock);
        for (PipelineDefinition definition : definitions) {
            builder.definition(definition);
        }
        return new Orchestrator(builder.build());
    }

    @Test
    void aDefinedPipelineRunsItsStepsInOrderAndRecordsItsVersion() throws Exception {
        PipelineDefinition text = PipelineDefinition.builder("process-text").version(3)
                .step("upper", recording("upper")).step("reverse", recording("reverse")).build();
        try (Orchestrator orchestrator = orchestrator(text)) {
            UUID id = orchestrator.starter("process-text").input(Map.of("text", "abc")).start();
            PipelineView done = orchestrator.awaitCompletion(id, Duration.ofSeconds(10));

            assertThat(done.status()).isEqualTo(Status.FINISHED);
            assertThat(done.steps()).extracting(StepView::name).containsExactly("upper", "reverse");
            assertThat(done.metadata()).containsEntry(PipelineDefinition.VERSION_KEY, 3L).containsEntry("text", "abc");
            assertThat(calls).containsExactly("upper:abc", "reverse:abc");
        }
    }

    @Test
    void runsInFlightKeepTheirVersionWhileNewStartsUseTheLatest() throws Exception {
        PipelineDefinition v1 = PipelineDefinition.builder("etl").step("extract", gated("v1-extract"))
                .step("load", recording("v1-load")).build();
        PipelineDefinition v2 = PipelineDefinition.builder("etl").version(2).step("audit", recording("v2-audit"))
                .step("extract", recording("v2-extract")).build();
        try (Orchestrator orchestrator = orchestrator(v1)) {
            UUID old = orchestrator.starter("etl").start();
            orchestrator.awaitIdle(Duration.ofSeconds(10));
            orchestrator.define(v2);
            UUID fresh = orchestrator.starter("etl").input(Map.of("go", true)).start();
            assertThat(orchestrator.awaitCompletion(fresh, Duration.ofSeconds(10)).steps()).extracting(StepView::name)
                    .containsExactly("audit", "extract");

            assertThat(orchestrator.find(old).orElseThrow().status()).isEqualTo(Status.PENDING);
            assertThat(orchestrator.find(old).orElseThrow().steps()).extracting(StepView::name)
                    .containsExactly("extract", "load");
            assertThat(calls).containsExactly("v2-audit:", "v2-extract:");
        }
    }

    @Test
    void aRunWhoseVersionIsNotDefinedIsSetAsideUntilItIs() throws Exception {
        PipelineDefinition v1 = PipelineDefinition.builder("etl").step("extract", recording("v1")).build();
        PipelineDefinition v2 = PipelineDefinition.builder("etl").version(2).step("extract", recording("v2")).build();
        UUID stranded;
        try (Orchestrator old = orchestrator(v2)) {
            stranded = old.starter("etl").inTransaction(repository).start();
        }
        // the run says version 2; an orchestrator that only knows version 1 must not run version 1's steps
        try (Orchestrator orchestrator = orchestrator(v1)) {
            clock.advance(Duration.ofSeconds(1));
            PassSummary parked = orchestrator.executePipelines();

            assertThat(parked.problems()).singleElement().satisfies(p ->
                    assertThat(p.message()).contains("\"etl\" version 2", "not defined here"));
            assertThat(calls).isEmpty();
            orchestrator.define(v2);
            clock.advance(Duration.ofMinutes(2));
            orchestrator.executePipelines();
            assertThat(orchestrator.awaitCompletion(stranded, Duration.ofSeconds(10)).status())
                    .isEqualTo(Status.FINISHED);
            assertThat(calls).containsExactly("v2:");
        }
    }

    @Test
    void newStartsUseTheVersionDefinedLastNotTheHighestNumber() throws Exception {
        PipelineDefinition v7 = PipelineDefinition.builder("p").version(7).step("a", recording("v7")).build();
        PipelineDefinition v3 = PipelineDefinition.builder("p").version(3).step("a", recording("v3")).build();
        try (Orchestrator orchestrator = orchestrator(v7)) {
            orchestrator.define(v3);
            PipelineView done = orchestrator.awaitCompletion(orchestrator.starter("p").start(), Duration.ofSeconds(10));

            assertThat(done.metadata()).containsEntry(PipelineDefinition.VERSION_KEY, 3L);
            assertThat(calls).containsExactly("v3:");
        }
    }

    @Test
    void buildReportsEveryProblemOfADefinitionTogether() {
        OnStart hook = ctx -> { };
        assertThatThrownBy(() -> PipelineDefinition.builder("p").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("\"p\" has no steps");
        assertThatThrownBy(() -> PipelineDefinition.builder("p").step("a", hook).step("a", hook).step("b", hook)
                .step("b", hook).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).hasSize(2)
                        .anySatisfy(m -> assertThat(m).contains("two steps named \"a\""))
                        .anySatisfy(m -> assertThat(m).contains("two steps named \"b\"")));
    }

    @Test
    void configurationReportsNameClashesAndDuplicateVersionsWithOtherProblems() {
        PipelineDefinition clash = PipelineDefinition.builder("Annotated").step("x", (OnStart) ctx -> { }).build();
        PipelineDefinition once = PipelineDefinition.builder("twice").step("x", (OnStart) ctx -> { }).build();
        PipelineDefinition again = PipelineDefinition.builder("twice").step("y", (OnStart) ctx -> { }).build();

        assertThatThrownBy(() -> OrchestratorConfig.builder().register(Annotated.class).definition(clash)
                .definition(once).definition(again).build())
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems()).hasSize(3)
                        .anySatisfy(m -> assertThat(m).contains("no repository"))
                        .anySatisfy(m -> assertThat(m).contains("\"Annotated\"", "@Pipeline class", "rename"))
                        .anySatisfy(m -> assertThat(m).contains("\"twice\" version 1 is already defined", "e.g. 2")));
    }

    @Test
    void defineAtRuntimeRefusesAVersionAlreadyDefinedAndKeepsTheFirst() throws Exception {
        PipelineDefinition v1 = PipelineDefinition.builder("p").step("a", recording("first")).build();
        try (Orchestrator orchestrator = orchestrator(v1)) {
            assertThatThrownBy(() -> orchestrator.define(PipelineDefinition.builder("p")
                    .step("a", recording("second")).build()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("another version");
            assertThatThrownBy(() -> orchestrator.define(null)).isInstanceOf(NullPointerException.class);
            orchestrator.awaitCompletion(orchestrator.starter("p").start(), Duration.ofSeconds(10));
            assertThat(calls).containsExactly("first:");
        }
    }

    @Test
    void badNamesHooksVersionsAndTimeoutsAreRefusedAtOnce() {
        OnStart hook = ctx -> { };
        assertThatThrownBy(() -> PipelineDefinition.builder(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PipelineDefinition.builder(" ")).hasMessageContaining("not blank");
        assertThatThrownBy(() -> PipelineDefinition.builder(" p")).hasMessageContaining("leading or trailing");
        assertThatThrownBy(() -> PipelineDefinition.builder("p".repeat(201))).hasMessageContaining("1 to 200");
        assertThatThrownBy(() -> PipelineDefinition.builder("p").version(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> PipelineDefinition.builder("p").step("", hook)).hasMessageContaining("step name");
        assertThatThrownBy(() -> PipelineDefinition.builder("p").step("a", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("\"a\"");
        assertThatThrownBy(() -> PipelineDefinition.builder("p").step("a", "not hooks"))
                .hasMessageContaining("neither OnStart nor OnContinue");
        assertThatThrownBy(() -> new PipelineDefinition.StepSpec("a", hook, null, Duration.ZERO))
                .hasMessageContaining("at least 1 ms");
        assertThatThrownBy(() -> OrchestratorConfig.builder().definition(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void aStepsOwnRetryPolicyApplies() throws Exception {
        PipelineDefinition flaky = PipelineDefinition.builder("flaky").step(new PipelineDefinition.StepSpec("boom",
                (OnStart) ctx -> {
                    calls.add("boom");
                    throw new IllegalStateException("service down");
                }, RetryPolicy.DEFAULT.withMaxAttempts(1), null)).build();
        try (Orchestrator orchestrator = orchestrator(flaky)) {
            PipelineView failed = orchestrator.awaitCompletion(orchestrator.starter("flaky").start(),
                    Duration.ofSeconds(10));
            assertThat(failed.status()).isEqualTo(Status.FAILED);
            assertThat(failed.lastError()).contains("service down");
            assertThat(calls).containsExactly("boom");
        }
    }
}
