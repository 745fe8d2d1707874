package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PassSummary;
import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.Model;
import io.prorch.repository.RepositoryException;
import io.prorch.test.SettableClock;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A pipeline row damaged by hand never stops the others, and is left as it is for an operator to repair. */
class DamagedRowTest {
    /** Waits on its first call, finishes on the next. */
    @Step(name = "Later")
    public static class Later implements OnStart, io.prorch.OnContinue {
        @Override
        public void onStart(StepContext ctx) {
        }

        @Override
        public void onContinue(StepContext ctx) {
            if (ctx.metadata().getBoolean("seen", false)) {
                ctx.finish();
            }
            ctx.metadata().put("seen", true);
        }
    }

    @Pipeline(name = "Damaged", steps = Later.class)
    public static class Damaged {
    }

    @Test
    void aRowWithUnreadableMetadataIsSkippedAndTheOtherPipelinesFinish() throws Exception {
        DataSource dataSource = Databases.h2Memory();
        JdbcRepository repository = JdbcRepository.create(dataSource);
        SettableClock clock = new SettableClock();
        try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(Damaged.class).clock(clock).build())) {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(orchestrator.start(Damaged.class, Map.of("n", i)));
            }
            orchestrator.awaitIdle(Duration.ofSeconds(10));
            UUID damaged = ids.get(2);
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE pipelines SET metadata = '{\"n\": 2, oops' WHERE uuid = '" + damaged + "'");
            }

            clock.advance(Duration.ofSeconds(1));
            PassSummary pass = orchestrator.executePipelines();

            assertThat(pass.finished()).isEqualTo(4);
            assertThat(pass.problems()).isEmpty();
            assertThatThrownBy(() -> repository.get(Model.PIPELINE, damaged))
                    .isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("Metadata of pipeline " + damaged + " is not a JSON object");
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT metadata FROM pipelines WHERE uuid = '" + damaged + "'")) {
                rs.next();
                assertThat(rs.getString(1)).as("left as it was, for repair").isEqualTo("{\"n\": 2, oops");
            }
        }
    }
}
