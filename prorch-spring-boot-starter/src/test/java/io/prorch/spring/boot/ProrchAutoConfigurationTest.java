package io.prorch.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.micrometer.MicrometerListener;
import io.prorch.micrometer.PipelineGauges;
import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;
import io.prorch.spring.boot.fixture.FixtureApplication;
import io.prorch.spring.boot.fixture.Greeter;
import io.prorch.spring.boot.fixture.GreetingPipeline;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ProrchAutoConfigurationTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, ProrchJdbcAutoConfiguration.class,
 ProrchAutoConfiguration.class,
                    ProrchMetricsAutoConfiguration.class, ProrchHealthAutoConfiguration.class,
                    ProrchGaugesAutoConfiguration.class))
            .withUserConfiguration(FixtureApplication.class)
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:autoconfig" + DATABASES.incrementAndGet()
                    + ";DB_CLOSE_DELAY=-1", "prorch.poll-interval=50ms");

    @Test
    void configuresAnOrchestratorOnTheDataSourceThatRunsTheApplicationsPipelines() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Orchestrator.class).hasSingleBean(JdbcRepository.class)
                    .hasSingleBean(OrchestratorLifecycle.class).hasSingleBean(SpringStepFactory.class);
            Orchestrator orchestrator = context.getBean(Orchestrator.class);
            assertThat(orchestrator.config().repository()).isSameAs(context.getBean(JdbcRepository.class));

            // the step Greet is no bean, yet gets the application's Greeter in its constructor
            UUID id = orchestrator.start(GreetingPipeline.class, Map.of("name", "Ada"));
            assertThat(awaitEnd(orchestrator, id).status()).isEqualTo(Status.FINISHED);
            assertThat(context.getBean(Greeter.class).greeted()).containsExactly("Ada");
        });
    }

    @Test
    void scansTheApplicationsPackageUnlessPackagesAreGiven() {
        runner.run(context -> assertThat(context.getBean(Orchestrator.class).starter("Greeting")).isNotNull());
        runner.withPropertyValues("prorch.scan-packages=io.prorch.spring.boot.nowhere").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("io.prorch.spring.boot.nowhere"));
    }

    @Test
    void bindsThePropertiesOntoTheOrchestratorAndTheRepository() {
        runner.withPropertyValues("prorch.claim-duration=2m", "prorch.worker-threads=3", "prorch.batch-size=7",
                "prorch.hook-timeout=45s", "prorch.shutdown-timeout=5s", "prorch.max-metadata-bytes=4096",
                "prorch.orchestrator-id=node-1", "prorch.schema=workflow", "prorch.table-prefix=p_",
                "prorch.auto-startup=false").run(context -> {
                    OrchestratorConfig config = context.getBean(Orchestrator.class).config();
                    assertThat(config.claimDuration()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(config.workerThreads()).isEqualTo(3);
                    assertThat(config.batchSize()).isEqualTo(7);
                    assertThat(config.hookTimeout()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(config.maxMetadataBytes()).isEqualTo(4096);
                    assertThat(config.orchestratorId()).isEqualTo("node-1");
                    assertThat(context.getBean(JdbcRepository.class).pipelinesTable()).isEqualTo("workflow.p_pipelines");
                    assertThat(context.getBean(OrchestratorLifecycle.class).isRunning()).isFalse();
                });
    }

    @Test
    void aBadPropertyStopsTheApplicationNamingTheSetting() {
        runner.withPropertyValues("prorch.worker-threads=0").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("workerThreads")
                        .hasMessageContaining("0"));
    }

    @Test
    void backsOffForTheApplicationsOwnRepository() {
        runner.withUserConfiguration(OwnRepository.class).run(context -> {
            assertThat(context).doesNotHaveBean(JdbcRepository.class).hasSingleBean(Orchestrator.class);
            assertThat(context.getBean(Orchestrator.class).config().repository())
                    .isSameAs(context.getBean(IRepository.class));
        });
    }

    @Test
    void backsOffForTheApplicationsOwnOrchestrator() {
        runner.withUserConfiguration(OwnOrchestrator.class).run(context -> {
            assertThat(context).hasSingleBean(Orchestrator.class).hasBean("ownOrchestrator")
                    .doesNotHaveBean(JdbcRepository.class).doesNotHaveBean(OrchestratorLifecycle.class);
            // its health is still reported
            assertThat(context).hasSingleBean(ProrchHealthIndicator.class);
        });
    }

    @Test
    void doesNothingWhenDisabledOrWithoutADataSource() {
        runner.withPropertyValues("prorch.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(Orchestrator.class).doesNotHaveBean(IRepository.class));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ProrchAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Orchestrator.class));
    }

    @Test
    void pollsWhileTheContextRunsAndClosesTheOrchestratorWhenItStops() throws Exception {
        Orchestrator[] closed = new Orchestrator[1];
        runner.run(context -> {
            OrchestratorLifecycle lifecycle = context.getBean(OrchestratorLifecycle.class);
            assertThat(lifecycle.isRunning()).isTrue();
            Orchestrator orchestrator = context.getBean(Orchestrator.class);
            // WaitOnePass finishes only on a later pass: nobody calls executePipelines, so polling did it
            UUID id = orchestrator.start(GreetingPipeline.class, Map.of("name", "Grace"));
            assertThat(awaitEnd(orchestrator, id).status()).isEqualTo(Status.FINISHED);
            closed[0] = orchestrator;
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> closed[0].start(GreetingPipeline.class))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void registersTheMicrometerListenerWhenThereIsAMeterRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            MicrometerListener listener = context.getBean(MicrometerListener.class);
            Orchestrator orchestrator = context.getBean(Orchestrator.class);
            assertThat(orchestrator.config().listeners()).contains(listener);
            awaitEnd(orchestrator, orchestrator.start(GreetingPipeline.class, Map.of("name", "Linus")));
            assertThat(context.getBean(MeterRegistry.class).find("prorch.transitions").counters()).isNotEmpty();
        });
        runner.run(context -> assertThat(context).doesNotHaveBean(MicrometerListener.class));
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withClassLoader(new FilteredClassLoader(MicrometerListener.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("prorchMicrometerListener"));
    }

    @Test
    void bindsThePipelineGaugesWhenThereIsAMeterRegistryAndClosesThemWithTheContext() {
        MeterRegistry registry = new SimpleMeterRegistry();
        runner.withBean(MeterRegistry.class, () -> registry).withPropertyValues("prorch.metrics.gauge-refresh=1s")
                .run(context -> {
                    assertThat(context).hasSingleBean(PipelineGauges.class);
                    Orchestrator orchestrator = context.getBean(Orchestrator.class);
                    awaitEnd(orchestrator, orchestrator.start(GreetingPipeline.class, Map.of("name", "Grace")));
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (registry.find("prorch.pipelines").tags("pipeline", "Greeting", "status", "finished")
                            .gauge() == null && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(registry.get("prorch.pipelines").tags("pipeline", "Greeting", "status", "finished")
                            .gauge().value()).isEqualTo(1);
                });
        // closing the context closed the gauges: they are gone from the registry, which outlives it here
        assertThat(registry.find("prorch.pipelines").gauges()).isEmpty();
        assertThat(registry.find("prorch.pipelines.refresh.failures").counters()).isEmpty();

        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).withPropertyValues("prorch.metrics.gauges=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(PipelineGauges.class));
        runner.run(context -> assertThat(context).doesNotHaveBean(PipelineGauges.class));
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("prorch.metrics.gauge-refresh=10ms")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("between 1 s and 1 day"));
    }

    static PipelineView awaitEnd(Orchestrator orchestrator, UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            PipelineView view = orchestrator.find(id).orElseThrow();
            if (view.status() != Status.PENDING) {
                return view;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("pipeline " + id + " did not end within 20 s: " + orchestrator.find(id));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRepository {
        @Bean
        IRepository ownRepository() {
            return InMemoryRepository.create();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnOrchestrator {
        @Bean
        Orchestrator ownOrchestrator() {
            return new Orchestrator(OrchestratorConfig.builder().repository(InMemoryRepository.create())
                    .register(GreetingPipeline.class).stepFactory(type -> {
                        throw new UnsupportedOperationException("not run in this test");
                    }).build());
        }
    }
}
