package io.prorch.spring.boot;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PipelineListener;
import io.prorch.StepFactory;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.repository.IRepository;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configures an {@link Orchestrator} on the application's {@link IRepository} (the {@link JdbcRepository} of
 * {@link ProrchJdbcAutoConfiguration}, or the application's own), the {@code @Pipeline}/{@code @Step} classes of the {@code prorch.scan-packages} (default: the application's
 * package), steps created by the Spring context ({@link SpringStepFactory}), every {@link PipelineListener} bean, and
 * polling tied to the context's lifecycle ({@link OrchestratorLifecycle}).
 *
 * <p>Backs off: an application's own {@link Orchestrator} bean replaces the orchestrator, the repository and the
 * lifecycle (polling and closing it are then
 * the application's); {@code prorch.enabled=false} turns it all off.
 */
@AutoConfiguration(after = ProrchJdbcAutoConfiguration.class)
@ConditionalOnProperty(prefix = "prorch", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ProrchProperties.class)
@Import(ProrchAutoConfiguration.OrchestratorConfiguration.class)
public class ProrchAutoConfiguration {

    /** @return the step factory of the auto-configured orchestrator: beans, or classes autowired by the context */
    @Bean
    @ConditionalOnMissingBean
    public StepFactory prorchStepFactory(ConfigurableListableBeanFactory beanFactory) {
        return new SpringStepFactory(beanFactory);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(Orchestrator.class)
    @ConditionalOnBean(IRepository.class)
    static class OrchestratorConfiguration {

        @Bean
        Orchestrator prorchOrchestrator(IRepository repository, StepFactory stepFactory, ProrchProperties properties,
                ObjectProvider<PipelineListener> listeners, ObjectProvider<OrchestratorConfigCustomizer> customizers,
                ConfigurableListableBeanFactory beanFactory) {
            OrchestratorConfig.Builder builder = OrchestratorConfig.builder().repository(repository)
                    .stepFactory(stepFactory);
            List<String> packages = scanPackages(properties, beanFactory);
            if (!packages.isEmpty()) {
                builder.scanPackages(packages.toArray(String[]::new));
            }
            apply(properties, builder);
            listeners.orderedStream().forEach(builder::listener);
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return new Orchestrator(builder.build());
        }

        @Bean
        OrchestratorLifecycle prorchOrchestratorLifecycle(Orchestrator prorchOrchestrator, ProrchProperties properties) {
            return new OrchestratorLifecycle(prorchOrchestrator, properties.getPollInterval(),
                    properties.isAutoStartup());
        }

        private static List<String> scanPackages(ProrchProperties properties, ConfigurableListableBeanFactory beans) {
            if (!properties.getScanPackages().isEmpty()) {
                return properties.getScanPackages();
            }
            return AutoConfigurationPackages.has(beans) ? AutoConfigurationPackages.get(beans) : new ArrayList<>();
        }

        private static void apply(ProrchProperties p, OrchestratorConfig.Builder builder) {
            if (p.getClaimDuration() != null) {
                builder.claimDuration(p.getClaimDuration());
            }
            if (p.getWorkerThreads() != null) {
                builder.workerThreads(p.getWorkerThreads());
            }
            if (p.getBatchSize() != null) {
                builder.batchSize(p.getBatchSize());
            }
            if (p.getHookTimeout() != null) {
                builder.hookTimeout(p.getHookTimeout());
            }
            if (p.getShutdownTimeout() != null) {
                builder.shutdownTimeout(p.getShutdownTimeout());
            }
            if (p.getMaxMetadataBytes() != null) {
                builder.maxMetadataBytes(p.getMaxMetadataBytes());
            }
            if (p.getOrchestratorId() != null) {
                builder.orchestratorId(p.getOrchestratorId());
            }
        }
    }
}
