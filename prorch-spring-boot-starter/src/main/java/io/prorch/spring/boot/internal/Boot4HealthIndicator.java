package io.prorch.spring.boot.internal;

import static java.util.Objects.requireNonNull;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code prorch} health indicator on Spring Boot 4, whose health API is {@code org.springframework.boot.health
 * .contributor}; on Boot 3 it is {@code io.prorch.spring.boot.ProrchHealthIndicator}. Only a Boot 4 application loads
 * this class: the configuration that creates it is guarded by {@code @ConditionalOnClass} on Boot 4's
 * {@code HealthIndicator}.
 */
public final class Boot4HealthIndicator extends AbstractHealthIndicator {
    private final StoreHealthCheck check;

    /** @param check the check this indicator reports */
    public Boot4HealthIndicator(StoreHealthCheck check) {
        super("prorch health check failed");
        this.check = requireNonNull(check, "check");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        StoreHealthCheck.Result result = check.check();
        builder.withDetails(result.details());
        if (result.up()) {
            builder.up();
        } else if (result.failure() != null) {
            builder.down(result.failure());
        } else {
            builder.down();
        }
    }
}
