package io.prorch.spring.boot;

import io.prorch.Orchestrator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * With Actuator, the {@code prorch} health indicator ({@link ProrchHealthIndicator}) for the application's orchestrator,
 * auto-configured or its own. {@code management.health.prorch.enabled=false} turns it off.
 */
@AutoConfiguration(after = ProrchAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnSingleCandidate(Orchestrator.class)
@ConditionalOnEnabledHealthIndicator("prorch")
@ConditionalOnProperty(prefix = "prorch", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ProrchProperties.class)
public class ProrchHealthAutoConfiguration {

    /** @return the indicator, named {@code prorch} in the health endpoint */
    @Bean
    @ConditionalOnMissingBean(name = "prorchHealthIndicator")
    public ProrchHealthIndicator prorchHealthIndicator(Orchestrator orchestrator,
            ObjectProvider<OrchestratorLifecycle> lifecycle, ProrchProperties properties) {
        return new ProrchHealthIndicator(orchestrator, lifecycle.getIfAvailable(), properties.getHealth().getTimeout());
    }
}
