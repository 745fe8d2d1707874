package io.prorch.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Orchestrator;
import io.prorch.Status;
import io.prorch.spring.boot.fixture.FixtureApplication;
import io.prorch.spring.boot.fixture.GreetingPipeline;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application's own Flyway (Boot's auto-configured one, in the version Boot manages) and prorch's migrations in one
 * schema: each keeps its own history table, neither sees the other's scripts, and both survive a restart.
 */
class FlywayCoexistenceTest {

    /** @return the JDBC URL of an empty database (or schema) for one test */
    protected String databaseUrl(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    /** @return the properties that keep this test's tables apart from others' */
    protected List<String> isolation(String name) {
        return List.of();
    }

    @Test
    void theApplicationsFlywayAndProrchsKeepTheirOwnHistoryTables() {
        String name = "coexist" + System.nanoTime();
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class,
                        ProrchJdbcAutoConfiguration.class, ProrchAutoConfiguration.class))
                .withUserConfiguration(FixtureApplication.class)
                .withPropertyValues("spring.datasource.url=" + databaseUrl(name))
                .withPropertyValues(isolation(name).toArray(String[]::new));
        for (int start = 1; start <= 2; start++) {   // the second start finds every table and history in place
            runner.run(context -> {
                assertThat(context).hasNotFailed().hasSingleBean(Flyway.class);
                JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                assertThat(jdbc.queryForList("SELECT \"script\" FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL'", String.class))
                        .containsExactly("V1__create_orders.sql");
                assertThat(jdbc.queryForList("SELECT \"script\" FROM \"prorch_schema_history\" WHERE \"version\" <> '0'",
                        String.class)).isNotEmpty().allMatch(script -> !script.contains("orders"));
                jdbc.update("INSERT INTO app_orders (id, customer) VALUES (?, ?)", System.nanoTime(), "Ada");

                Orchestrator orchestrator = context.getBean(Orchestrator.class);
                var id = orchestrator.start(GreetingPipeline.class, Map.of("name", "Ada"));
                assertThat(ProrchAutoConfigurationTest.awaitEnd(orchestrator, id).status()).isEqualTo(Status.FINISHED);
            });
        }
    }

    @Test
    void runsUnderTheFlywayVersionSpringBootManages() throws Exception {
        // this module's tests use Boot 3.5.7's managed versions, as an application importing Boot's BOM does
        Properties flyway = new Properties();
        try (InputStream in = Flyway.class.getResourceAsStream("/META-INF/maven/org.flywaydb/flyway-core/pom.properties")) {
            flyway.load(in);
        }
        assertThat(flyway.getProperty("version")).isEqualTo("11.7.2");
    }
}
