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
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
        "org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration"})
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
