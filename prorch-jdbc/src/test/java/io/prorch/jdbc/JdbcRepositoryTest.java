package io.prorch.jdbc;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RecordRejectedException;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.SignalRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What JdbcRepository adds to the contract: migrations, limits, time zones, its own validation. H2 in memory. */
class JdbcRepositoryTest {
    private final DataSource dataSource = Databases.h2Memory();

    private List<String> tables() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add((rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME")).toLowerCase());
            }
        }
        return names;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Nested
    class Migrations {
        @Test
        void createsPrefixedTablesAndItsOwnHistoryTableBesideTheApplicationsOwn() throws Exception {
            execute("CREATE TABLE flyway_schema_history (installed_rank INT, version VARCHAR(50))");
            execute("INSERT INTO flyway_schema_history VALUES (1, '42')");

            JdbcRepository repository = JdbcRepository.builder().dataSource(dataSource).tablePrefix("wf_").build();

            assertThat(tables()).contains("public.wf_pipelines", "public.wf_pipeline_steps",
                    "public.wf_pipeline_signals", "public.wf_prorch_schema_history", "public.flyway_schema_history");
            assertThat(repository.pipelinesTable()).isEqualTo("wf_pipelines");
            assertThat(repository.signalsTable()).isEqualTo("wf_pipeline_signals");
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(version) FROM flyway_schema_history")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("42");
            }
        }

        @Test
        void putsTablesInAGivenSchemaAndRunningAgainChangesNothing() throws Exception {
            JdbcRepository first = JdbcRepository.builder().dataSource(dataSource).schema("workflow").build();
            PipelineRecord saved = first.save(aPipeline().build());

            JdbcRepository again = JdbcRepository.builder().dataSource(dataSource).schema("workflow").build();

            assertThat(tables()).contains("workflow.pipelines", "workflow.pipeline_steps",
                    "workflow.pipeline_signals", "workflow.prorch_schema_history");
            assertThat(again.get(Model.PIPELINE, saved.id())).contains(saved);
            assertThat(again.stepsTable()).isEqualTo("workflow.pipeline_steps");
        }

        @Test
        void aStoreMigratedBeforeSignalsExistedGainsTheirTableAndKeepsItsRows() {
            // the tables as the release before signals left them
            org.flywaydb.core.Flyway.configure().dataSource(dataSource)
                    .locations("classpath:io/prorch/jdbc/migration/h2").table("prorch_schema_history")
                    .placeholders(Map.of("prefix", "")).baselineOnMigrate(true).baselineVersion("0").target("2")
                    .load().migrate();
            JdbcRepository before = JdbcRepository.builder().dataSource(dataSource).migrate(false).build();
            // a row as that release wrote it (today's code also writes the later priority column, so not through it)
            PipelineRecord saved = aPipeline().build();
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO pipelines (uuid, name, status, step_names, current_step, metadata,"
                        + " version, created_at, updated_at) VALUES ('" + saved.id() + "', 'TestPipeline', 'pending',"
                        + " '[\"A\",\"B\",\"C\"]', 0, '{}', 0, TIMESTAMP WITH TIME ZONE '2026-01-02 03:04:05.123456+00',"
                        + " TIMESTAMP WITH TIME ZONE '2026-01-02 03:04:05.123456+00')");
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
            assertThatThrownBy(() -> before.save(SignalRecord.sent(UUID.randomUUID(), saved.id(), "go", Map.of(),
                    Instant.EPOCH))).isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("prorch's tables do not exist");

            JdbcRepository upgraded = JdbcRepository.create(dataSource);
            SignalRecord signal = upgraded.save(SignalRecord.sent(UUID.randomUUID(), saved.id(), "go", Map.of(),
                    Instant.EPOCH));

            assertThat(upgraded.get(Model.PIPELINE, saved.id())).contains(saved);
            assertThat(upgraded.get(Model.SIGNAL, signal.id())).contains(signal);
        }

        @Test
        void withMigrationsOffNothingIsCreatedAndUseExplainsHowToCreateTheTables() throws Exception {
            JdbcRepository repository = JdbcRepository.builder().dataSource(dataSource).migrate(false).build();

            assertThat(tables()).noneMatch(t -> t.contains("pipelines"));
            assertThatThrownBy(() -> repository.save(aPipeline().build()))
                    .isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("prorch's tables do not exist")
                    .hasMessageContaining("io/prorch/jdbc/migration/h2");
        }
    }

    @Nested
    class Validation {
        private final JdbcRepository repository = JdbcRepository.create(dataSource);

        @Test
        void refusesMetadataOverTheLimitBeforeWritingAnything() {
            JdbcRepository small = JdbcRepository.builder().dataSource(dataSource).maxMetadataBytes(2048).build();
            PipelineRecord big = aPipeline().withMetadata(Map.of("blob", "é".repeat(1500))).build();

            assertThatThrownBy(() -> small.save(big))
                    .isInstanceOf(RecordRejectedException.class)
                    .hasMessageContaining("Metadata of pipeline " + big.id() + " is 3011 bytes as JSON")
                    .hasMessageContaining("over the limit of 2048 bytes");
            assertThat(small.search(Model.PIPELINE, SearchFilter.all())).isEmpty();
        }

        @Test
        void refusesNamesLongerThanTheColumns() {
            PipelineRecord longName = aPipeline().withName("n".repeat(201)).build();

            assertThatThrownBy(() -> repository.save(longName)).isInstanceOf(RecordRejectedException.class)
                    .hasMessageContaining("name is 201 characters; the JDBC store keeps at most 200");
            assertThat(repository.search(Model.PIPELINE, SearchFilter.all())).isEmpty();
        }

        @Test
        void builderRejectsBadOptions() {
            assertThatThrownBy(() -> JdbcRepository.builder().schema("x; DROP TABLE y"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain SQL identifier");
            assertThatThrownBy(() -> JdbcRepository.builder().tablePrefix("wf-"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> JdbcRepository.builder().maxMetadataBytes(10))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1024");
            assertThatThrownBy(() -> JdbcRepository.builder().statementTimeout(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("statementTimeout must be positive").hasMessageContaining("PT-1S");
            assertThatThrownBy(() -> JdbcRepository.builder().statementTimeout(Duration.ofDays(30)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("statementTimeout");
            assertThatThrownBy(() -> JdbcRepository.builder().statementTimeout(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("statementTimeout");
            assertThatThrownBy(() -> JdbcRepository.builder().build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("dataSource(..)");
            assertThatThrownBy(() -> JdbcRepository.create((DataSource) null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void anUnreachableDatabaseIsARepositoryException() {
            DataSource nowhere = new Databases.UrlDataSource("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1",
                    false);

            assertThatThrownBy(() -> JdbcRepository.create(nowhere)).isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("Cannot open a connection");
        }
    }

    @Test
    void instantsSurviveAJvmInAnotherTimeZone() {
        TimeZone original = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("America/Sao_Paulo"));
            JdbcRepository repository = JdbcRepository.create(dataSource);
            Instant instant = Instant.parse("2026-03-08T02:30:00.654321Z");
            PipelineRecord saved = repository.save(aPipeline().withTimestamps(instant, instant).withDueAt(instant)
                    .build());

            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));

            assertThat(repository.get(Model.PIPELINE, saved.id())).contains(saved);
        } finally {
            TimeZone.setDefault(original);
        }
    }
}
