package io.prorch.jdbc;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static io.prorch.test.contract.RecordBuilders.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PassSummary;
import io.prorch.Pipeline;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.SignalRecord;
import io.prorch.repository.StepRecord;
import io.prorch.test.SettableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rows damaged by hand (metadata of the wrong shape, huge or nested 10,000 deep, unknown pipeline or step names) never
 * stop the other pipelines: each damaged one is reported with its id, left in the store as it is, and finishes once
 * repaired. On H2 in memory; {@link PostgresHostileRowsTest} runs the same tests on PostgreSQL.
 */
class HostileRowsTest {
    static final int NORMAL_PIPELINES = 10;
    static final Duration CLAIM_DURATION = Duration.ofSeconds(10);
    static final int DEEP = 10_000;

    /** Waits for one pass, then finishes (so the pipeline is pending in the store when the test damages it). */
    @Step(name = "RowGate")
    public static class RowGate implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            if (ctx.metadata().getBoolean("seen", false)) {
                ctx.finish();
            }
            ctx.metadata().put("seen", true);
        }
    }

    @Step(name = "RowWork")
    public static class RowWork implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.metadata().put("done", true);
        }
    }

    /** Registered only once the test "deploys" it again. */
    @Step(name = "Ghost")
    public static class Ghost implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.metadata().put("ghost", true);
        }
    }

    @Pipeline(name = "Flow", steps = {RowGate.class, RowWork.class})
    public static class Flow {
    }

    /** Registered only once the test "deploys" it again. */
    @Pipeline(name = "Vanished", steps = {RowGate.class, RowWork.class})
    public static class Vanished {
    }

    protected DataSource dataSource;
    private final SettableClock clock = new SettableClock();
    private final List<Orchestrator> orchestrators = new ArrayList<>();
    private LogCapture log;

    /** @return a fresh, empty database */
    protected DataSource newDatabase() {
        return Databases.h2Memory();
    }

    /** Drops what {@link #newDatabase()} created. */
    protected void dropDatabase() {
        sql("SHUTDOWN");
    }

    /** @return true where the metadata columns are {@code jsonb}, which refuses text that is not JSON */
    protected boolean jsonColumns() {
        return false;
    }

    @BeforeEach
    void open() {
        dataSource = newDatabase();
        log = LogCapture.start();
    }

    @AfterEach
    void close() {
        log.close();
        orchestrators.forEach(Orchestrator::close);
        dropDatabase();
    }

    @Test
    @Timeout(60)
    void pipelineMetadataThatIsNotAnObjectIsSkippedLeftAsItIsAndFinishesOnceRepaired() throws Exception {
        Orchestrator orchestrator = orchestrator(100, Flow.class);
        List<UUID> normal = startFlows(orchestrator, NORMAL_PIPELINES);
        Map<UUID, String> damaged = new LinkedHashMap<>();
        for (String bad : badMetadata()) {
            UUID id = startFlows(orchestrator, 1).get(0);
            sql("UPDATE pipelines SET metadata = " + json() + " WHERE uuid = ?", bad, id);
            damaged.put(id, column("pipelines", "metadata", id));
        }

        // when
        clock.advance(Duration.ofSeconds(1));
        PassSummary pass = orchestrator.executePipelines();

        // then: the others finished; each damaged row is reported by id and left exactly as it was
        assertThat(pass.finished()).isEqualTo(NORMAL_PIPELINES);
        assertFinished(orchestrator, normal);
        damaged.forEach((id, stored) -> {
            assertThat(column("pipelines", "metadata", id)).as("pipeline %s left as it was", id).isEqualTo(stored);
            assertThat(column("pipelines", "status", id)).isEqualTo("pending");
            assertThat(log.text()).contains("pipeline " + id + " cannot be read");
            assertThatThrownBy(() -> orchestrator.find(id)).isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("Metadata of pipeline " + id).hasMessageContaining("object");
        });

        // when: an operator repairs the rows
        damaged.keySet().forEach(id -> sql("UPDATE pipelines SET metadata = " + json() + " WHERE uuid = ?",
                "{\"n\": -1}", id));
        clock.advance(CLAIM_DURATION.plusSeconds(1));
        PassSummary repaired = orchestrator.executePipelines();

        // then
        assertThat(repaired.finished()).isEqualTo(damaged.size());
        assertFinished(orchestrator, damaged.keySet());
    }

    @Test
    @Timeout(60)
    void stepMetadataThatIsNotAnObjectFailsOnlyItsOwnPipelineAndFinishesOnceRepaired() throws Exception {
        Orchestrator orchestrator = orchestrator(100, Flow.class);
        List<UUID> normal = startFlows(orchestrator, NORMAL_PIPELINES / 2);
        Map<UUID, String> damaged = new LinkedHashMap<>();
        for (String bad : List.of("[1, 2]", "\"seen\"", "{\"deep\": " + "[".repeat(DEEP) + "]".repeat(DEEP) + "}")) {
            UUID id = startFlows(orchestrator, 1).get(0);
            sql("UPDATE pipeline_steps SET metadata = " + json() + " WHERE uuid = ?", bad, StepRecord.idOf(id, 0));
            damaged.put(id, column("pipeline_steps", "metadata", StepRecord.idOf(id, 0)));
        }
        normal.addAll(startFlows(orchestrator, NORMAL_PIPELINES / 2));

        // when
        clock.advance(Duration.ofSeconds(1));
        PassSummary pass = orchestrator.executePipelines();

        // then
        assertThat(pass.finished()).as("pipelines beside the damaged steps: " + pass.problems())
                .isEqualTo(NORMAL_PIPELINES);
        assertFinished(orchestrator, normal);
        assertThat(pass.problems()).extracting(PassSummary.Problem::pipelineId)
                .containsExactlyInAnyOrderElementsOf(damaged.keySet());
        assertThat(pass.problems()).allSatisfy(p -> assertThat(p.message()).contains("fix the stored row"));
        damaged.forEach((id, stored) -> {
            assertThat(column("pipeline_steps", "metadata", StepRecord.idOf(id, 0))).isEqualTo(stored);
            assertThat(column("pipelines", "status", id)).isEqualTo("pending");
        });

        // when
        damaged.keySet().forEach(id -> sql("UPDATE pipeline_steps SET metadata = " + json() + " WHERE uuid = ?",
                "{\"seen\": true}", StepRecord.idOf(id, 0)));
        clock.advance(CLAIM_DURATION.plusSeconds(1));
        PassSummary repaired = orchestrator.executePipelines();

        // then
        assertThat(repaired.finished()).isEqualTo(damaged.size());
        assertFinished(orchestrator, damaged.keySet());
    }

    @Test
    @Timeout(60)
    void aHugeMetadataValueIsReportedEveryPassUntilRepairedAndTheOthersFinish() throws Exception {
        Orchestrator orchestrator = orchestrator(100, Flow.class);
        List<UUID> normal = startFlows(orchestrator, NORMAL_PIPELINES);
        String blob = "x".repeat(5 << 20);
        UUID hugePipeline = startFlows(orchestrator, 1).get(0);
        sql("UPDATE pipelines SET metadata = " + json() + " WHERE uuid = ?", "{\"n\": 1, \"blob\": \"" + blob + "\"}",
                hugePipeline);
        UUID hugeStep = startFlows(orchestrator, 1).get(0);
        sql("UPDATE pipeline_steps SET metadata = " + json() + " WHERE uuid = ?",
                "{\"seen\": true, \"blob\": \"" + blob + "\"}", StepRecord.idOf(hugeStep, 0));

        // when
        clock.advance(Duration.ofSeconds(1));
        PassSummary pass = orchestrator.executePipelines();

        // then: the huge ones cannot be saved back; they are reported by id, bounded, and left as they were
        assertThat(pass.finished()).isEqualTo(NORMAL_PIPELINES);
        assertFinished(orchestrator, normal);
        assertThat(pass.problems()).extracting(PassSummary.Problem::pipelineId)
                .containsExactlyInAnyOrder(hugePipeline, hugeStep);
        assertThat(pass.problems()).allSatisfy(p -> assertThat(p.message()).contains("over the limit")
                .hasSizeLessThan(4_000));
        assertThat(column("pipelines", "metadata", hugePipeline)).contains(blob);
        assertThat(column("pipeline_steps", "metadata", StepRecord.idOf(hugeStep, 0))).contains(blob);
        assertThat(column("pipelines", "status", hugePipeline)).isEqualTo("pending");
        assertThat(column("pipelines", "status", hugeStep)).isEqualTo("pending");

        // when
        sql("UPDATE pipelines SET metadata = " + json() + " WHERE uuid = ?", "{\"n\": 1}", hugePipeline);
        sql("UPDATE pipeline_steps SET metadata = " + json() + " WHERE uuid = ?", "{\"seen\": true}",
                StepRecord.idOf(hugeStep, 0));
        clock.advance(CLAIM_DURATION.plusSeconds(1));
        PassSummary repaired = orchestrator.executePipelines();

        // then
        assertThat(repaired.finished()).isEqualTo(2);
        assertFinished(orchestrator, List.of(hugePipeline, hugeStep));
    }

    @Test
    @Timeout(60)
    void unknownPipelineAndStepNamesAreParkedAndResumeWhenTheirClassesReappear() throws Exception {
        Orchestrator before = orchestrator(100, Flow.class);
        List<UUID> normal = startFlows(before, NORMAL_PIPELINES);
        UUID renamedPipeline = startFlows(before, 1).get(0);
        UUID renamedStep = startFlows(before, 1).get(0);
        sql("UPDATE pipelines SET name = 'Vanished' WHERE uuid = ?", null, renamedPipeline);
        sql("UPDATE pipelines SET step_names = " + json() + " WHERE uuid = ?", "[\"RowGate\", \"Ghost\"]",
                renamedStep);
        sql("UPDATE pipeline_steps SET name = 'Ghost' WHERE uuid = ?", null, StepRecord.idOf(renamedStep, 1));

        // when
        clock.advance(Duration.ofSeconds(1));
        PassSummary pass = before.executePipelines();

        // then
        assertThat(pass.finished()).isEqualTo(NORMAL_PIPELINES);
        assertFinished(before, normal);
        assertThat(pass.skipped()).isEqualTo(2);
        assertThat(pass.problems()).extracting(PassSummary.Problem::pipelineId)
                .containsExactlyInAnyOrder(renamedPipeline, renamedStep);
        assertThat(problemOf(pass, renamedPipeline)).contains("no @Pipeline named \"Vanished\"");
        assertThat(problemOf(pass, renamedStep)).contains("no @Step named \"Ghost\"");
        for (UUID id : List.of(renamedPipeline, renamedStep)) {
            PipelineView parked = before.find(id).orElseThrow();
            assertThat(parked.status()).isEqualTo(Status.PENDING);
            assertThat(parked.lastError()).contains(id.toString());
            assertThat(parked.claimOwner()).isNull();
        }

        // when: the classes are deployed again
        before.close();
        Orchestrator after = orchestrator(100, Flow.class, Vanished.class, Ghost.class);
        clock.advance(Duration.ofSeconds(1));
        PassSummary resumed = after.executePipelines();

        // then
        assertThat(resumed.finished()).isEqualTo(2);
        assertFinished(after, List.of(renamedPipeline, renamedStep));
        assertThat(after.find(renamedStep).orElseThrow().step("Ghost").orElseThrow().metadata())
                .containsEntry("ghost", true);
        assertThat(after.find(renamedPipeline).orElseThrow().lastError()).isNull();
    }

    @Test
    @Timeout(60)
    void aStepRowRenamedByHandIsReportedByNameAndFinishesOnceRenamedBack() throws Exception {
        Orchestrator orchestrator = orchestrator(100, Flow.class);
        List<UUID> normal = startFlows(orchestrator, NORMAL_PIPELINES);
        UUID damaged = startFlows(orchestrator, 1).get(0);
        sql("UPDATE pipeline_steps SET name = 'Ghost' WHERE uuid = ?", null, StepRecord.idOf(damaged, 0));

        // when
        clock.advance(Duration.ofSeconds(1));
        PassSummary pass = orchestrator.executePipelines();

        // then
        assertThat(pass.finished()).isEqualTo(NORMAL_PIPELINES);
        assertFinished(orchestrator, normal);
        assertThat(pass.problems()).singleElement().satisfies(p -> {
            assertThat(p.pipelineId()).isEqualTo(damaged);
            assertThat(p.message()).contains("\"Ghost\"");
        });
        assertThat(column("pipeline_steps", "name", StepRecord.idOf(damaged, 0))).isEqualTo("Ghost");
        assertThat(orchestrator.find(damaged).orElseThrow().lastError()).as("visible in find(id)").contains("Ghost");

        // when
        sql("UPDATE pipeline_steps SET name = 'RowGate' WHERE uuid = ?", null, StepRecord.idOf(damaged, 0));
        clock.advance(CLAIM_DURATION.plusSeconds(1));
        PassSummary repaired = orchestrator.executePipelines();

        // then
        assertThat(repaired.finished()).isEqualTo(1);
        assertFinished(orchestrator, List.of(damaged));
    }

    @Test
    @Timeout(60)
    void asManyUnreadableRowsAsTheBatchSizeDoNotStarveTheOthers() throws Exception {
        Orchestrator orchestrator = orchestrator(2, Flow.class);
        List<UUID> damaged = startFlows(orchestrator, 2);
        List<UUID> normal = startFlows(orchestrator, 4);
        for (UUID id : damaged) {
            // the damaged rows are the most overdue, so every due search finds them first
            sql("UPDATE pipelines SET metadata = " + json() + ", due_at = due_at - INTERVAL '1' HOUR WHERE uuid = ?",
                    "[\"not\", \"an\", \"object\"]", id);
        }

        // when
        clock.advance(Duration.ofSeconds(1));
        PassSummary pass = orchestrator.executePipelines();

        // then
        assertThat(pass.finished()).as("pipelines behind two unreadable rows, batch size 2").isEqualTo(normal.size());
        assertFinished(orchestrator, normal);
        damaged.forEach(id -> assertThat(column("pipelines", "status", id)).isEqualTo("pending"));
    }

    /** One kind of hand-made damage: the table, the SET clause, the column at fault and the value it then holds. */
    record Damage(String table, String set, String column, String value) {
        @Override
        public String toString() {
            return table + " SET " + set;
        }
    }

    /** @return every kind of damage a record's rules refuse, one per column rule */
    private List<Damage> damages() {
        String deep = "{\"deep\": " + "[".repeat(DEEP) + "]".repeat(DEEP) + "}";
        return List.of(
                new Damage("pipelines", "status = 'bogus'", "status", "\"bogus\""),
                new Damage("pipelines", "name = ' '", "name", "\" \""),
                new Damage("pipelines", "current_step = 7", "current_step", "\"7\""),
                new Damage("pipelines", "step_names = " + jsonLiteral("[]"), "step_names", "[]"),
                new Damage("pipelines", "step_names = " + jsonLiteral("[\"RowGate\", \" \"]"), "step_names", "RowGate"),
                new Damage("pipelines", "metadata = " + jsonLiteral("[1, 2]"), "metadata", "[1, 2]"),
                new Damage("pipelines", "metadata = " + jsonLiteral(deep), "metadata", "characters)"),
                new Damage("pipelines", "version = -1", "version", "\"-1\""),
                new Damage("pipelines", "claim_owner = 'someone'", "claim_owner", "\"someone\""),
                new Damage("pipelines", "idempotency_key = ' '", "idempotency_key", "\" \""),
                new Damage("pipeline_steps", "status = 'PENDNG'", "status", "\"PENDNG\""),
                new Damage("pipeline_steps", "name = ''", "name", "\"\""),
                new Damage("pipeline_steps", "position = -1", "position", "\"-1\""),
                new Damage("pipeline_steps", "attempts = -3", "attempts", "\"-3\""),
                new Damage("pipeline_steps", "metadata = " + jsonLiteral("\"seen\""), "metadata", "seen"),
                new Damage("pipeline_signals", "status = 'arrived'", "status", "\"arrived\""),
                new Damage("pipeline_signals", "status = 'created'", "status", "\"created\""),
                new Damage("pipeline_signals", "status = 'finished'", "consumed_by_step", "\"-1\""),
                new Damage("pipeline_signals", "consumed_by_step = -5", "consumed_by_step", "\"-5\""),
                new Damage("pipeline_signals", "name = ' '", "name", "\" \""),
                new Damage("pipeline_signals", "payload = " + jsonLiteral("[1]"), "payload", "[1]"),
                new Damage("pipeline_signals", "version = -1", "version", "\"-1\""));
    }

    @Test
    @Timeout(60)
    void everyKindOfDamageIsReadAsARepositoryExceptionNamingTheTableRowColumnAndValue() {
        JdbcRepository repository = JdbcRepository.create(dataSource);
        for (Damage damage : damages()) {
            PipelineRecord pipeline = repository.save(aPipeline().withStepNames(List.of("RowGate", "RowWork"))
                    .withDueAt(clock.instant()).build());
            StepRecord step = repository.save(aStep().withPipelineId(pipeline.id()).withName("RowGate").build());
            SignalRecord signal = repository.save(SignalRecord.sent(UUID.randomUUID(), pipeline.id(), "approved",
                    Map.of("by", "ann"), clock.instant()));
            Model<?> model = switch (damage.table()) {
                case "pipelines" -> Model.PIPELINE;
                case "pipeline_steps" -> Model.STEP;
                default -> Model.SIGNAL;
            };
            UUID id = model == Model.PIPELINE ? pipeline.id() : model == Model.STEP ? step.id() : signal.id();
            sql("UPDATE " + damage.table() + " SET " + damage.set() + " WHERE uuid = ?", null, id);

            // then: every read path reports it, with the table, id, column and (bounded) value, and the cause
            List<ThrowingCallable> reads = List.of(() -> repository.get(model, id),
                    () -> repository.getAll(model, List.of(id)),
                    () -> repository.search(model, SearchFilter.all()));
            for (ThrowingCallable read : reads) {
                assertThatThrownBy(read).as("%s", damage)
                        .isExactlyInstanceOf(RepositoryException.class)
                        .hasMessageContaining(damage.table()).hasMessageContaining(id.toString())
                        .hasMessageContaining("column " + damage.column() + " holds")
                        .hasMessageContaining(damage.value())
                        .hasMessageContaining("fix the stored row")
                        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1_500))
                        .cause().isNotNull();
            }
            sql("DELETE FROM " + damage.table() + " WHERE uuid = ?", null, id);
        }
    }

    @Test
    @Timeout(60)
    void aClaimReturnsTheHealthyRowsBesideDamagedOnesAndWarnsOnceAboutEach() {
        JdbcRepository repository = JdbcRepository.create(dataSource);
        List<UUID> healthy = new ArrayList<>();
        List<UUID> damaged = new ArrayList<>();
        // (a claim rewrites the version and the claim columns, so on PostgreSQL, which reads the row after its
        // claim, damage there is overwritten by the claim itself: those kinds are left out here)
        List<Damage> kinds = damages().stream().filter(d -> d.table().equals("pipelines")
                && !List.of("status", "version", "claim_owner").contains(d.column())).toList();
        Instant due = clock.instant().minusSeconds(60);
        for (int i = 0; i < kinds.size(); i++) {
            healthy.add(repository.save(aPipeline().withDueAt(due.plusMillis(2 * i + 1)).build()).id());
            UUID id = repository.save(aPipeline().withDueAt(due.plusMillis(2 * i)).build()).id();
            sql("UPDATE pipelines SET " + kinds.get(i).set() + " WHERE uuid = ?", null, id);
            damaged.add(id);
        }
        UUID compensated = repository.save(aPipeline().withStatus(Status.COMPENSATED).build()).id();
        UUID unknownStatus = repository.save(aPipeline().withDueAt(due).build()).id();
        sql("UPDATE pipelines SET status = 'Pending ' WHERE uuid = ?", null, unknownStatus);

        // when
        List<PipelineRecord> claimed = repository.claimDue(new ClaimRequest("me", clock.instant(),
                clock.instant().plus(CLAIM_DURATION), 100));
        List<PipelineRecord> again = repository.claimDue(new ClaimRequest("me", clock.instant().plus(CLAIM_DURATION)
                .plusSeconds(1), clock.instant().plus(CLAIM_DURATION.multipliedBy(2)), 100));

        // then: the healthy ones are claimed (again once their claims expired); each damaged one is warned about
        // once, by table, id and column, though claimed (set aside) twice
        assertThat(claimed).extracting(PipelineRecord::id).containsExactlyInAnyOrderElementsOf(healthy);
        assertThat(again).extracting(PipelineRecord::id).containsExactlyInAnyOrderElementsOf(healthy);
        String log = this.log.text();
        for (int i = 0; i < damaged.size(); i++) {
            UUID id = damaged.get(i);
            assertThat(log).contains("pipeline " + id + " cannot be read")
                    .contains("column " + kinds.get(i).column() + " holds");
            assertThat(log.split("pipeline " + id + " cannot be read", -1)).as("warnings about %s", id).hasSize(2);
        }
        assertThat(log).contains("pipeline " + unknownStatus + " is never claimed")
                .contains("has status \"Pending \"");
        assertThat(log.split("pipeline " + unknownStatus + " is never claimed", -1)).hasSize(2);
        assertThat(log).as("a status of #25's, which prorch writes").doesNotContain("pipeline " + compensated);
    }

    /** @return {@code json} as a SQL literal for a metadata or step_names column */
    private String jsonLiteral(String json) {
        String literal = "'" + json.replace("'", "''") + "'";
        return jsonColumns() ? "CAST(" + literal + " AS jsonb)" : literal;
    }

    /** @return metadata text of the wrong shape; H2 also stores text that is not JSON at all */
    private List<String> badMetadata() {
        List<String> bad = new ArrayList<>(List.of("[1, 2, 3]", "42", "\"just text\"", "null",
                "{\"deep\": " + "[".repeat(DEEP) + "]".repeat(DEEP) + "}"));
        if (!jsonColumns()) {
            bad.add("{\"n\": 2, oops");
        }
        return bad;
    }

    private Orchestrator orchestrator(int batchSize, Class<?>... classes) {
        Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
                .repository(JdbcRepository.create(dataSource)).register(classes).clock(clock)
                .claimDuration(CLAIM_DURATION).batchSize(batchSize).build());
        orchestrators.add(orchestrator);
        return orchestrator;
    }

    /** Starts {@code count} pipelines and waits until each is pending in its first step. */
    private static List<UUID> startFlows(Orchestrator orchestrator, int count) throws InterruptedException {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(orchestrator.start(Flow.class, Map.of("n", i)));
        }
        assertThat(orchestrator.awaitIdle(Duration.ofSeconds(10))).isTrue();
        return ids;
    }

    private static void assertFinished(Orchestrator orchestrator, Iterable<UUID> ids) {
        for (UUID id : ids) {
            PipelineView view = orchestrator.find(id).orElseThrow();
            assertThat(view.status()).as("pipeline %s", id).isEqualTo(Status.FINISHED);
            assertThat(view.steps()).extracting(s -> s.status()).containsOnly(Status.FINISHED);
        }
    }

    private static String problemOf(PassSummary pass, UUID id) {
        return pass.problems().stream().filter(p -> id.equals(p.pipelineId())).findFirst().orElseThrow().message();
    }

    /** @return a placeholder for a metadata value, cast where the column is jsonb */
    private String json() {
        return jsonColumns() ? "CAST(? AS jsonb)" : "?";
    }

    /** Runs {@code update} with its parameters (a null first one is left out), by hand, as an operator would. */
    private void sql(String update, String text, UUID id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(update)) {
            int i = 1;
            if (text != null) {
                s.setString(i++, text);
            }
            s.setObject(i, id);
            assertThat(s.executeUpdate()).as(update).isEqualTo(1);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(update + " failed", e);
        }
    }

    private void sql(String statement) {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + " failed", e);
        }
    }

    /** @return the stored text of {@code column} in the row {@code id} of {@code table} (the row must exist) */
    private String column(String table, String column, UUID id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM " + table + " WHERE uuid = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("row %s of %s still stored", id, table).isTrue();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + table + " " + id + " failed", e);
        }
    }

    /** Copies what is written to standard error (where slf4j-simple logs) while a test runs. */
    static final class LogCapture implements AutoCloseable {
        private final PrintStream original = System.err;
        private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

        static LogCapture start() {
            LogCapture capture = new LogCapture();
            System.setErr(new PrintStream(new Tee(capture.original, capture.captured), true, StandardCharsets.UTF_8));
            return capture;
        }

        String text() {
            System.err.flush();
            return captured.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            System.setErr(original);
        }

        /** Writes to both streams. */
        private static final class Tee extends OutputStream {
            private final OutputStream first;
            private final OutputStream second;

            Tee(OutputStream first, OutputStream second) {
                this.first = first;
                this.second = second;
            }

            @Override
            public void write(int b) throws IOException {
                first.write(b);
                second.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                first.write(bytes, offset, length);
                second.write(bytes, offset, length);
            }

            @Override
            public void flush() throws IOException {
                first.flush();
            }
        }
    }
}
