package io.prorch.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.prorch.micrometer.MicrometerListener;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Registers prorch-micrometer's {@link MicrometerListener} on the application's {@link MeterRegistry} when both are
 * there; the auto-configured orchestrator picks it up with every other {@code PipelineListener} bean. Ordered after
 * the registry's auto-configuration of Spring Boot 3 and of Spring Boot 4 (by name: a line ignores the other's).
 */
@AutoConfiguration(before = ProrchAutoConfiguration.class, afterName = {
        // Spring Boot 3
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
        // Spring Boot 4 (module spring-boot-micrometer-metrics)
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MicrometerListener.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "prorch", name = "enabled", matchIfMissing = true)
public class ProrchMetricsAutoConfiguration {

    /** @return the listener recording prorch's meters ({@code prorch.transitions}, {@code prorch.hook.duration}...) */
    @Bean
    @ConditionalOnMissingBean
    public MicrometerListener prorchMicrometerListener(MeterRegistry registry) {
        return MicrometerListener.create(registry);
    }
}
