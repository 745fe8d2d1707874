package io.prorch.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Orchestrator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** Starts the Boot sample as its main does and checks that its pipelines ran end to end, on H2. */
class BootSampleApplicationTest {

    /** @return the arguments that point the sample at an empty database of its own */
    protected List<String> databaseArguments() {
        return List.of("--spring.datasource.url=jdbc:h2:mem:boot-sample-test;DB_CLOSE_DELAY=-1");
    }

    @Test
    void runsEveryOrderThroughItsPipelineWithTheApplicationsBeansAndMigrations() {
        List<String> args = new ArrayList<>(databaseArguments());
        args.add("--customers=Ada,Grace");
        try (ConfigurableApplicationContext context = BootSampleApplication.application()
                .run(args.toArray(String[]::new))) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            // the runner returned once both pipelines had ended: the steps updated the application's table
            assertThat(jdbc.queryForList("SELECT customer || ':' || status FROM sample_orders ORDER BY customer",
                    String.class)).containsExactly("Ada:shipped", "Grace:shipped");
            assertThat(jdbc.queryForList("SELECT status FROM pipelines", String.class))
                    .containsExactly("finished", "finished");
            // the application's Flyway history holds its own migration only; prorch's are in their own table
            assertThat(jdbc.queryForList("SELECT \"script\" FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL'",
                    String.class)).containsExactly("V1__create_orders.sql");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"prorch_schema_history\" WHERE \"type\" = 'SQL'",
                    Integer.class)).isPositive();
            assertThat(context.getBean(Orchestrator.class).config().stepFactory()).isNotNull();
        }
    }
}
