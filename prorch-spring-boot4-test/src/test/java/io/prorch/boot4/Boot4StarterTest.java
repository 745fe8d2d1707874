package io.prorch.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.prorch.Orchestrator;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.boot4.app.Boot4Application;
import io.prorch.boot4.app.OrderBook;
import io.prorch.boot4.app.OrderPipeline;
import io.prorch.micrometer.PipelineGauges;
import io.prorch.spring.boot.internal.Boot4HealthIndicator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * prorch-spring-boot-starter, built against Spring Boot 3.5.7, in a Spring Boot 4.0.7 application ({@link
 * Boot4Application}) with its own Flyway and Actuator, on H2: the starter's auto-configurations order themselves after
 * Boot 4's (else there would be no {@code DataSource} for the repository and no orchestrator), a pipeline runs end to end
 * through the starter's polling, both Flyways keep their own history tables across a restart, and the health indicator
 * and the meters report.
 */
class Boot4StarterTest {
    private static final Duration END = Duration.ofSeconds(30);

    /** @return the JDBC URL of an empty database (or schema) for one test */
    protected String databaseUrl(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    /** @return the properties that keep this test's tables apart from others' */
    protected List<String> isolation(String name) {
        return List.of();
    }

    private ConfigurableApplicationContext start(String name, String... more) {
        List<String> properties = new ArrayList<>(List.of("spring.datasource.url=" + databaseUrl(name),
                "prorch.poll-interval=100ms", "management.endpoint.health.show-details=always",
                "management.endpoints.web.exposure.include=health"));
        properties.addAll(isolation(name));
        properties.addAll(List.of(more));
        return new SpringApplicationBuilder(Boot4Application.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    @Test
    void runsAPipelineEndToEndWithTheApplicationsFlywayBesideProrchs() throws Exception {
        String name = "boot4_" + System.nanoTime();
        List<String> prorchScripts = null;
        for (int start = 1; start <= 2; start++) {   // the second start finds every table and history in place
            try (ConfigurableApplicationContext context = start(name)) {
                JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                String orderId = "order-" + start;
                context.getBean(OrderBook.class).place(orderId, "Ada");
                Orchestrator orchestrator = context.getBean(Orchestrator.class);
                UUID id = orchestrator.start(OrderPipeline.class, Map.of("orderId", orderId));

                PipelineView view = orchestrator.awaitCompletion(id, END);
                assertThat(view.status()).as("pipeline %s after %s", id, END).isEqualTo(Status.FINISHED);
                assertThat(context.getBean(OrderBook.class).status(orderId)).isEqualTo("shipped");
                // prorch's tables keep the first start's pipeline: Boot's Flyway neither cleaned nor touched them
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM pipelines", Integer.class)).isEqualTo(start);

                // Boot's Flyway: its history table holds the application's migration only, and nothing is pending
                Flyway bootFlyway = context.getBean(Flyway.class);
                assertThat(bootFlyway.getConfiguration().getTable()).isEqualTo("flyway_schema_history");
                // (on PostgreSQL it also records creating the schema of spring.flyway.schemas, not a script)
                assertThat(List.of(bootFlyway.info().applied())).extracting(MigrationInfo::getScript)
                        .filteredOn(script -> script.endsWith(".sql")).containsExactly("V1__create_app_orders.sql");
                assertThat(bootFlyway.info().pending()).isEmpty();
                assertThat(jdbc.queryForList("SELECT \"script\" FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL'",
                        String.class)).containsExactly("V1__create_app_orders.sql");
                // prorch's: its own table, its own scripts, the same on the second start (nothing ran twice)
                List<String> scripts = jdbc.queryForList("SELECT \"script\" FROM \"prorch_schema_history\""
                        + " WHERE \"type\" = 'SQL' ORDER BY \"installed_rank\"", String.class);
                assertThat(scripts).isNotEmpty().noneMatch(script -> script.contains("app_orders"));
                if (prorchScripts != null) {
                    assertThat(scripts).isEqualTo(prorchScripts);
                }
                prorchScripts = scripts;
            }
        }
    }

    @Test
    void theHealthIndicatorReportsThroughBoot4sHealthEndpoint() {
        try (ConfigurableApplicationContext context = start("boot4_health_" + System.nanoTime(),
                "prorch.orchestrator-id=boot4-node")) {
            assertThat(context.getBean("prorchHealthIndicator")).isInstanceOf(Boot4HealthIndicator.class)
                    .isInstanceOf(HealthIndicator.class);
            IndicatedHealthDescriptor prorch = (IndicatedHealthDescriptor) context.getBean(HealthEndpoint.class)
                    .healthForPath("prorch");
            assertThat(prorch).as("the health endpoint's prorch component").isNotNull();
            assertThat(prorch.getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.UP);
            assertThat(prorch.getDetails()).containsEntry("orchestratorId", "boot4-node")
                    .containsEntry("polling", true).containsKey("storeTime");
        }
    }

    @Test
    void theHealthIndicatorCanBeTurnedOffAsOnBoot3() {
        try (ConfigurableApplicationContext context = start("boot4_nohealth_" + System.nanoTime(),
                "management.health.prorch.enabled=false")) {
            assertThat(context.containsBean("prorchHealthIndicator")).isFalse();
            assertThat(context.getBean(HealthEndpoint.class).healthForPath("prorch")).isNull();
            assertThat(context.getBean(Orchestrator.class)).isNotNull();
        }
    }

    @Test
    void recordsProrchsMetersInBoot4sMeterRegistry() throws Exception {
        try (ConfigurableApplicationContext context = start("boot4_meters_" + System.nanoTime())) {
            String orderId = "metered";
            context.getBean(OrderBook.class).place(orderId, "Grace");
            Orchestrator orchestrator = context.getBean(Orchestrator.class);
            UUID id = orchestrator.start(OrderPipeline.class, Map.of("orderId", orderId));
            assertThat(orchestrator.awaitCompletion(id, END).status()).isEqualTo(Status.FINISHED);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("prorch.transitions").tag("pipeline", "Boot4Order").counters())
                    .as("prorch.transitions of Boot4Order").isNotEmpty();
            // the pipeline gauges are bound too: their failure counter is registered with them
            assertThat(context.getBeansOfType(PipelineGauges.class)).hasSize(1);
            assertThat(registry.find("prorch.pipelines.refresh.failures").counter()).isNotNull();
        }
    }
}
