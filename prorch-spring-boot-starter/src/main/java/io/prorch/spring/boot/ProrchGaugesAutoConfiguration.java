package io.prorch.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.prorch.Orchestrator;
import io.prorch.micrometer.PipelineGauges;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Binds prorch-micrometer's {@link PipelineGauges} ({@code prorch.pipelines} by name and status) for the application's
 * orchestrator, auto-configured or its own, when there is a {@link MeterRegistry}; counted every
 * {@code prorch.metrics.gauge-refresh} (default 15 s), closed with the context. {@code prorch.metrics.gauges=false}
 * turns them off. A configuration of its own because it needs the orchestrator, which
 * {@link ProrchAutoConfiguration} creates after {@link ProrchMetricsAutoConfiguration}'s listener.
 */
@AutoConfiguration(after = {ProrchAutoConfiguration.class, ProrchMetricsAutoConfiguration.class})
@ConditionalOnClass({PipelineGauges.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(Orchestrator.class)
@ConditionalOnProperty(prefix = "prorch", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ProrchProperties.class)
public class ProrchGaugesAutoConfiguration {

    /**
     * @param orchestrator whose store is counted
     * @param registry where the gauges go
     * @param properties {@code prorch.metrics.gauge-refresh}
     * @return the gauges, counting on a daemon thread of their own until the context closes
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "prorch.metrics", name = "gauges", matchIfMissing = true)
    public PipelineGauges prorchPipelineGauges(Orchestrator orchestrator, MeterRegistry registry,
            ProrchProperties properties) {
        return PipelineGauges.builder(orchestrator, registry).refreshEvery(properties.getMetrics().getGaugeRefresh())
                .bind();
    }
}
