package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.fixtures.scan.ScannedPipeline;
import io.prorch.repository.InMemoryRepository;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OrchestratorConfigTest {

    @Step(name = "Good")
    public static class Good implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    @Step(name = "NoHook")
    public static class NoHook {
    }

    public static class NotAnnotated implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    @Step(name = "NeedsArgs")
    public static class NeedsArgs implements OnStart {
        public NeedsArgs(String dependency) {
        }

        @Override
        public void onStart(StepContext ctx) {
        }
    }

    @Step(name = "Good")
    public static class AlsoGood implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    @Step(name = "Abstract")
    public abstract static class AbstractStep implements OnStart {
    }

    @Step(name = "BadAttempts", maxAttempts = 0)
    public static class BadAttempts implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    @Pipeline(name = "Empty", steps = {})
    public static class EmptyPipeline {
    }

    @Pipeline(name = "Broken", steps = {NoHook.class, NotAnnotated.class, NeedsArgs.class, AlsoGood.class,
            AbstractStep.class, BadAttempts.class})
    public static class BrokenPipeline {
    }

    @Pipeline(name = "Fine", steps = Good.class)
    public static class FinePipeline {
    }

    @Pipeline(name = "Fine", steps = Good.class)
    public static class SameName {
    }

    @Nested
    class Build {
        @Test
        void reportsEveryProblemTogetherNamingEachClass() {
            assertThatThrownBy(() -> OrchestratorConfig.builder().repository(InMemoryRepository.create())
                    .register(EmptyPipeline.class, FinePipeline.class, BrokenPipeline.class, SameName.class,
                            String.class)
                    .scanPackages("io.prorch.fixtures.empty")
                    .build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("Invalid prorch configuration (")
                    .satisfies(e -> assertThat(((ConfigurationException) e).problems()).hasSize(10))
                    .hasMessageContaining("package \"io.prorch.fixtures.empty\" contains no @Pipeline or @Step")
                    .hasMessageContaining("EmptyPipeline: pipeline \"Empty\" has no steps")
                    .hasMessageContaining("NoHook: annotated @Step but implements neither OnStart nor OnContinue")
                    .hasMessageContaining("NotAnnotated: listed in pipeline \"Broken\" but not annotated @Step")
                    .hasMessageContaining("NeedsArgs: has no public no-arg constructor; add one or configure a"
                            + " stepFactory(...)")
                    .hasMessageContaining("two steps named \"Good\" (io.prorch.OrchestratorConfigTest$Good,"
                            + " io.prorch.OrchestratorConfigTest$AlsoGood)")
                    .hasMessageContaining("AbstractStep: is abstract")
                    .hasMessageContaining("BadAttempts: @Step(maxAttempts = 0) must be at least 1")
                    .hasMessageContaining("two pipelines named \"Fine\"")
                    .hasMessageContaining("java.lang.String: registered but annotated neither @Pipeline nor @Step");
        }

        @Test
        void requiresARepositoryAndSomethingToRun() {
            assertThatThrownBy(() -> OrchestratorConfig.builder().build())
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("(2 problems)")
                    .hasMessageContaining("no repository: set repository(...)")
                    .hasMessageContaining("no pipelines: give scanPackages");
        }

        @Test
        void aStepFactoryLiftsTheConstructorRequirement() {
            OrchestratorConfig config = OrchestratorConfig.builder().repository(InMemoryRepository.create())
                    .register(NeedsArgsPipeline.class).stepFactory(type -> new NeedsArgs("injected")).build();

            assertThat(config.stepFactory()).isNotNull();
        }

        @Test
        void scansPackagesRecursivelyAndDefaultsNamesToSimpleClassNames() throws Exception {
            OrchestratorConfig config = OrchestratorConfig.builder().repository(InMemoryRepository.create())
                    .scanPackages("io.prorch.fixtures.scan").build();

            try (Orchestrator orchestrator = new Orchestrator(config)) {
                UUID id = orchestrator.starter("ScannedPipeline").start();
                orchestrator.awaitIdle(Duration.ofSeconds(10));
                PipelineView view = orchestrator.find(id).orElseThrow();
                assertThat(view.name()).isEqualTo("ScannedPipeline");
                assertThat(view.step("ScannedStep")).get().extracting(StepView::metadata)
                        .isEqualTo(Map.of("scanned", true));
                assertThat(orchestrator.start(ScannedPipeline.class)).isNotNull();
            }
        }

        @Test
        void showsDefaults() {
            OrchestratorConfig config = OrchestratorConfig.builder().repository(InMemoryRepository.create())
                    .register(FinePipeline.class).build();

            assertThat(config.claimDuration()).isEqualTo(OrchestratorConfig.DEFAULT_CLAIM_DURATION);
            assertThat(config.batchSize()).isEqualTo(OrchestratorConfig.DEFAULT_BATCH_SIZE);
            assertThat(config.workerThreads()).isEqualTo(OrchestratorConfig.DEFAULT_WORKER_THREADS);
            assertThat(config.retryPolicy()).isEqualTo(RetryPolicy.DEFAULT);
            assertThat(config.orchestratorId()).isNotBlank();
            assertThat(config.storeClock()).isTrue();
        }

        @Test
        void aClockSetByHandTurnsTheStoreClockOffUnlessItIsAskedFor() {
            var builder = OrchestratorConfig.builder().repository(InMemoryRepository.create())
                    .register(FinePipeline.class).clock(java.time.Clock.systemUTC());

            assertThat(builder.build().storeClock()).isFalse();
            assertThat(builder.storeClock(true).build().storeClock()).isTrue();
            assertThat(OrchestratorConfig.builder().repository(InMemoryRepository.create())
                    .register(FinePipeline.class).storeClock(false).build().storeClock()).isFalse();
        }
    }

    @Pipeline(name = "NeedsArgsPipeline", steps = NeedsArgs.class)
    public static class NeedsArgsPipeline {
    }

    @Nested
    class Setters {
        private final OrchestratorConfig.Builder builder = OrchestratorConfig.builder();

        @Test
        void rejectBadValuesAtOnceNamingTheSettingAndTheValue() {
            assertThatThrownBy(() -> builder.claimDuration(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("claimDuration must be at least 100 ms, but was PT-1S");
            assertThatThrownBy(() -> builder.batchSize(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("batchSize must be in [1, 10000], but was 0");
            assertThatThrownBy(() -> builder.workerThreads(-2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("workerThreads must be in [1, 1000], but was -2");
            assertThatThrownBy(() -> builder.orchestratorId(" ")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("orchestratorId must be 1 to 200 non-blank characters");
            assertThatThrownBy(() -> builder.scanPackages("com..acme")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"com..acme\" is not a package name");
            assertThatThrownBy(() -> builder.shutdownTimeout(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shutdownTimeout");
        }

        @Test
        void rejectNullsNamingTheParameter() {
            assertThatThrownBy(() -> builder.repository(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("repository");
            assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("clock");
            assertThatThrownBy(() -> builder.register((Class<?>) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> builder.scanPackages((String) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> builder.retryPolicy(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> builder.stepFactory(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class Start {
        private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
                .repository(InMemoryRepository.create()).register(FinePipeline.class).build());

        @Test
        void rejectsUnknownPipelinesAndBadInputWithoutSavingAnything() {
            assertThatThrownBy(() -> orchestrator.starter("Nope"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("No pipeline named \"Nope\" is registered. Registered: [Fine]");
            assertThatThrownBy(() -> orchestrator.start(String.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.String is not a registered @Pipeline");
            assertThatThrownBy(() -> orchestrator.start(FinePipeline.class, Map.of("when", java.time.Instant.EPOCH)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("key \"when\" holds a java.time.Instant")
                    .hasMessageContaining("store a time as its ISO-8601 String");
            assertThatThrownBy(() -> orchestrator.starter((String) null))
                    .isInstanceOf(NullPointerException.class).hasMessage("pipelineName");
            assertThatThrownBy(() -> orchestrator.start(FinePipeline.class, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("input");
            assertThat(((InMemoryRepository) orchestrator.config().repository())
                    .size(io.prorch.repository.Model.PIPELINE)).isZero();
            orchestrator.close();
        }

        @Test
        void aClosedOrchestratorRefusesWork() {
            orchestrator.close();
            orchestrator.close();

            assertThatThrownBy(() -> orchestrator.start(FinePipeline.class))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThatThrownBy(orchestrator::executePipelines)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThatThrownBy(() -> orchestrator.startPolling(Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void findReturnsEmptyForUnknownIds() {
            assertThat(orchestrator.find(UUID.randomUUID())).isEmpty();
            assertThatThrownBy(() -> orchestrator.find(null)).isInstanceOf(NullPointerException.class);
            orchestrator.close();
        }
    }
}
