package io.prorch.spring.boot;

import io.prorch.Orchestrator;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.jdbc.JdbcRepositoryBuilder;
import io.prorch.repository.IRepository;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/**
 * A {@link JdbcRepository} on the application's {@link DataSource}, its tables created and upgraded by prorch's own
 * Flyway migrations (history table {@code prorch_schema_history}) after the application's own schema initialization.
 * Backs off when the application defines its own {@link IRepository} or {@link Orchestrator}.
 *
 * <p>Ordered after Boot's {@code DataSourceAutoConfiguration} (so the {@code DataSource} condition sees the
 * application's pool) and its Flyway and Liquibase, by name for both lines: Spring Boot 3's
 * {@code org.springframework.boot.autoconfigure.*} and Spring Boot 4's {@code org.springframework.boot.*.autoconfigure}.
 * Names that a line lacks are ignored. {@code @DependsOnDatabaseInitialization} has the same name on both lines (in
 * spring-boot on 3, in spring-boot-sql, which spring-boot-jdbc brings, on 4).
 */
@AutoConfiguration(afterName = {
        // Spring Boot 3
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
        "org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration",
        // Spring Boot 4, which moved them into modules of their own (spring-boot-jdbc, -flyway, -liquibase)
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"})
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnMissingBean({IRepository.class, Orchestrator.class})
@ConditionalOnProperty(prefix = "prorch", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ProrchProperties.class)
public class ProrchJdbcAutoConfiguration {

    /**
     * Runs after the application's Flyway, Liquibase or {@code schema.sql} ({@code @DependsOnDatabaseInitialization}),
     * so the application's Flyway never finds prorch's tables in a schema it has not baselined yet.
     *
     * @return the repository, its tables migrated unless {@code prorch.migrate=false}
     */
    @Bean
    @DependsOnDatabaseInitialization
    public JdbcRepository prorchRepository(DataSource dataSource, ProrchProperties properties) {
        JdbcRepositoryBuilder builder = JdbcRepository.builder().dataSource(dataSource)
                .tablePrefix(properties.getTablePrefix()).migrate(properties.isMigrate());
        if (properties.getSchema() != null) {
            builder.schema(properties.getSchema());
        }
        if (properties.getMaxMetadataBytes() != null) {
            builder.maxMetadataBytes(properties.getMaxMetadataBytes());
        }
        if (properties.getStatementTimeout() != null) {
            builder.statementTimeout(properties.getStatementTimeout());
        }
        return builder.build();
    }
}
