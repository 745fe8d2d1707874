package io.prorch.spring.boot;

import io.prorch.Orchestrator;
import io.prorch.spring.boot.internal.Boot4HealthIndicator;
import io.prorch.spring.boot.internal.StoreHealthCheck;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Actuator, the {@code prorch} health indicator, bean {@code prorchHealthIndicator}, for the application's
 * orchestrator, auto-configured or its own: {@link ProrchHealthIndicator} on Spring Boot 3, its Boot 4 twin on Boot 4.
 * {@code management.health.prorch.enabled=false} turns it off.
 *
 * <p>Boot 4 moved the health API from {@code org.springframework.boot.actuate.health} to
 * {@code org.springframework.boot.health.contributor}. Each line's indicator is created by a nested configuration of
 * its own, guarded by {@code @ConditionalOnClass} on that line's class names (given as strings, so they are not loaded
 * to evaluate the condition): an application loads only the indicator whose API it has.
 */
@AutoConfiguration(after = ProrchAutoConfiguration.class)
@ConditionalOnSingleCandidate(Orchestrator.class)
@ConditionalOnProperty(prefix = "prorch", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ProrchProperties.class)
public class ProrchHealthAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.actuate.health.HealthIndicator",
            "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"})
    @org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator("prorch")
    static class Boot3Health {

        @Bean
        @ConditionalOnMissingBean(name = "prorchHealthIndicator")
        ProrchHealthIndicator prorchHealthIndicator(Orchestrator orchestrator,
                ObjectProvider<OrchestratorLifecycle> lifecycle, ProrchProperties properties) {
            return new ProrchHealthIndicator(orchestrator, lifecycle.getIfAvailable(),
                    properties.getHealth().getTimeout());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.health.contributor.HealthIndicator",
            "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator"})
    @org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator("prorch")
    static class Boot4Health {

        @Bean
        @ConditionalOnMissingBean(name = "prorchHealthIndicator")
        Boot4HealthIndicator prorchHealthIndicator(Orchestrator orchestrator,
                ObjectProvider<OrchestratorLifecycle> lifecycle, ProrchProperties properties) {
            OrchestratorLifecycle polling = lifecycle.getIfAvailable();
            return new Boot4HealthIndicator(new StoreHealthCheck(orchestrator,
                    polling == null ? null : polling::isRunning, properties.getHealth().getTimeout()));
        }
    }
}
