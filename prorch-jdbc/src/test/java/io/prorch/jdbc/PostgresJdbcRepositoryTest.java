package io.prorch.jdbc;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.HistoryRecord;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StoredRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** PostgreSQL specifics: the due claim is index-backed, and killed connections are recovered from. */
@EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
        disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresJdbcRepositoryTest {
    private String schema;

    @BeforeAll
    void createSchema() {
        schema = Databases.createPostgresSchema();
    }

    @AfterAll
    void dropSchema() {
        Databases.dropPostgresSchema(schema);
    }

    @Test
    void theDueClaimUsesThePartialDueIndexEvenWithMuchHistory() throws Exception {
        JdbcRepository repository = JdbcRepository.builder().dataSource(Databases.postgres(schema))
                .tablePrefix("explain_").build();
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        saveInThousands(repository, 21_000, i -> i < 20_000 ? aPipeline().withStatus(Status.FINISHED).build()
                : aPipeline().withDueAt(now.minusSeconds(i % 600)).build());
        String table = schema + ".explain_pipelines";
        String plan;
        try (Connection c = DriverManager.getConnection(Databases.POSTGRES_URL); Statement s = c.createStatement()) {
            s.execute("ANALYZE " + table);
            plan = explain(s, "EXPLAIN SELECT uuid FROM " + table + " WHERE status = 'pending' AND due_at <="
                    + " '2026-06-01T00:00:00Z' ORDER BY due_at LIMIT 100 FOR UPDATE SKIP LOCKED");
        }
        System.out.println("EXPLAIN of the due claim over 20,000 finished and 1,000 due pipelines:\n" + plan);

        assertThat(plan).contains("Index Scan").contains("explain_pipelines_due");
        assertThat(repository.claimDue(new ClaimRequest("me", now, now.plusSeconds(60), 100))).hasSize(100);
    }

    @Test
    void idsInstantsAndTextBoundAsTextReadBackExactlyOnSaveAndOnAGroupUpdate() {
        // saves bind ids and instants as text with casts, group updates send each column as one array literal
        JdbcRepository repository = JdbcRepository.builder().dataSource(Databases.postgres(schema))
                .tablePrefix("astext_").build();
        List<Instant> instants = List.of(Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("1969-12-31T23:59:59.999999Z"), Instant.EPOCH, Instant.parse("2026-12-01T15:04:05.1Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"),
                // beyond the years the text form covers: bound as an object instead, on both paths
                Instant.parse("+12000-06-01T00:00:00Z"));
        String hostile = "NULL \"quoted\", {braces,commas} back\\slash 'single' \t\n ü \uD83D\uDE00";
        List<PipelineRecord> saved = new ArrayList<>();
        for (int i = 0; i < instants.size(); i++) {
            Instant at = instants.get(i);
            saved.add(repository.save(aPipeline().withTimestamps(at, at).withDueAt(at).withClaim(hostile + i, at)
                    .withLastError(hostile).withIdempotencyKey("key " + hostile + i)
                    .withMetadata(Map.of("text", hostile, "n", i)).build()));
        }
        for (PipelineRecord record : saved) {
            assertThat(repository.get(Model.PIPELINE, record.id())).contains(record);
        }

        // the years the text form covers go in one group update; one instant beyond them sends its group by rows
        int inRange = instants.size() - 1;
        List<PipelineRecord> changed = new ArrayList<>();
        for (int i = 0; i < saved.size(); i++) {
            Instant other = instants.get(i < inRange ? (i + 1) % inRange : inRange);
            changed.add(saved.get(i).withUpdatedAt(other).withDueAt(i % 2 == 0 ? null : other)
                    .withClaim(i % 3 == 0 ? null : "owner " + hostile, i % 3 == 0 ? null : other)
                    .withLastError(i % 2 == 0 ? hostile + " again" : null).withStatus(Status.FAILED));
        }
        repository.updateAll(changed.subList(0, inRange));
        repository.updateAll(changed.subList(inRange, changed.size()));

        for (PipelineRecord record : changed) {
            assertThat(repository.get(Model.PIPELINE, record.id())).contains(record.withVersion(record.version() + 1));
        }
    }

    @Test
    void historyEntriesOfAGroupCommitGoAsArrayLiteralsAndReadBackExactly() {
        // several entries go in one INSERT of unnested array literals; an instant beyond the years the text form
        // covers sends its group as a multi-row INSERT instead
        JdbcRepository repository = JdbcRepository.builder().dataSource(Databases.postgres(schema))
                .tablePrefix("histtext_").build();
        String hostile = "NULL \"quoted\", {braces,commas} back\\slash 'single' \t\n \u00fc \uD83D\uDE00";
        for (Instant far : List.of(Instant.parse("9999-12-31T23:59:59.999999Z"),
                Instant.parse("+12000-06-01T00:00:00Z"))) {
            PipelineRecord pipeline = repository.save(aPipeline().build());
            List<HistoryRecord> entries = new ArrayList<>();
            List<Instant> instants = List.of(Instant.parse("0001-01-01T00:00:00Z"), Instant.EPOCH,
                    Instant.parse("2026-12-01T15:04:05.123456Z"), far);
            for (int i = 0; i < instants.size(); i++) {
                entries.add(new HistoryRecord(HistoryRecord.newId(), pipeline.id(), i % 2 == 0 ? hostile : null,
                        i % 2 == 0 ? i : -1, i == 0 ? null : Status.PENDING, Status.FAILED, i, hostile,
                        instants.get(i), hostile, hostile, hostile, hostile, i % 2 == 0 ? "retry" : null, hostile,
                        i % 2 == 0 ? null : hostile));
            }
            List<StoredRecord> write = new ArrayList<>(List.of(pipeline.withStatus(Status.FAILED)));
            write.addAll(entries);
            repository.updateAll(write);

            assertThat(repository.search(Model.HISTORY, SearchFilter.all().where(SearchField.PIPELINE_ID,
                    pipeline.id()))).containsExactlyElementsOf(entries);
        }
    }

    @Test
    void theClaimReadsOnlyWhatItClaimsOnATableWithoutStatistics() throws Exception {
        // freshly filled and never analyzed (autovacuum off, or not yet run): the planner knows nothing of the rows
        JdbcRepository repository = JdbcRepository.builder().dataSource(Databases.postgres(schema))
                .tablePrefix("nostats_").build();
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        saveInThousands(repository, 20_000, i -> aPipeline().withDueAt(now.minusSeconds(i % 600)).build());
        long before = dueIndexReads("nostats_pipelines_due", -1);

        assertThat(repository.claimDue(new ClaimRequest("me", now, now.plusSeconds(60), 100))).hasSize(100);

        long read = dueIndexReads("nostats_pipelines_due", before) - before;
        System.out.println("index entries read by a claim of 100 among 20,000 due, no statistics: " + read);
        assertThat(read).as("an ordered index scan stops at the limit").isLessThan(1000);
    }

    @Test
    void aGroupCommitReadsOnlyTheRowsItUpdatesWhateverThePlanCacheSawBefore() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(Databases.POSTGRES_URL + "&currentSchema=" + schema);
        config.setMaximumPoolSize(2); // few connections, whose server-side prepared statements keep their plans
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcRepository repository = JdbcRepository.builder().dataSource(pool).tablePrefix("grow_").build();
            List<StoredRecord> batch = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                batch.add(repository.save(aPipeline().build()));
            }
            // the statement is planned, and its plan cached, while the table is tiny and has no statistics: 12
            // executions per connection pass the driver's threshold for preparing it on the server (5) and
            // PostgreSQL's custom plans before it considers a generic one (5); with 8 in all, this passed even when
            // every group commit on the grown table scanned all of it
            int rounds = 24;
            for (int round = 0; round < rounds; round++) {
                batch = repository.updateAll(batch);
            }
            saveInThousands(repository, 20_000, i -> aPipeline().withStatus(Status.FINISHED).build());
            long[] before = updatesAnd("grow_pipelines", "seq_tup_read", (long) rounds * batch.size());

            repository.updateAll(batch);

            long[] after = updatesAnd("grow_pipelines", "seq_tup_read", before[0] + batch.size());
            long read = after[1] - before[1];
            System.out.println("rows read by sequential scans while updating 50 of 20,050 pipelines: " + read);
            assertThat(after[0] - before[0]).as("rows updated").isEqualTo(batch.size());
            assertThat(read).as("rows read by sequential scans").isLessThan(1000);
        }
    }

    /** Saves {@code count} records made by {@code record}, a thousand per {@code saveAll}. */
    private static void saveInThousands(JdbcRepository repository, int count, IntFunction<StoredRecord> record) {
        List<StoredRecord> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(record.apply(i));
            if (batch.size() == 1000 || i == count - 1) {
                repository.saveAll(batch);
                batch.clear();
            }
        }
    }

    /** @return the index's tuples read so far, once the statistics show a value other than {@code previous} */
    private long dueIndexReads(String index, long previous) throws Exception {
        return statistics("SELECT idx_tup_read FROM pg_stat_user_indexes WHERE schemaname = '" + schema
                + "' AND indexrelname = '" + index + "'", reads -> reads[0] != previous)[0];
    }

    @Test
    void connectionsKilledByTheServerAreReplacedAndNothingIsLost() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(Databases.POSTGRES_URL + "&currentSchema=" + schema + "&ApplicationName=prorch-kill-"
                + schema);
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcRepository repository = JdbcRepository.builder().dataSource(pool).tablePrefix("kill_").build();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(repository.save(aPipeline().build()).id());
            }

            int killed;
            try (Connection admin = DriverManager.getConnection(Databases.POSTGRES_URL);
                 Statement s = admin.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                         + " WHERE application_name = 'prorch-kill-" + schema + "'")) {
                rs.next();
                killed = rs.getInt(1);
            }
            int failures = 0;
            for (UUID id : ids) {
                for (int attempt = 0; ; attempt++) {
                    try {
                        PipelineRecord p = repository.get(Model.PIPELINE, id).orElseThrow();
                        repository.update(p.withStatus(Status.CANCELLED));
                        break;
                    } catch (RepositoryException e) {
                        failures++;
                        assertThat(attempt).as("recovers within the pool size").isLessThan(3);
                    }
                }
            }

            System.out.println("killed " + killed + " connections; " + failures + " operations failed before recovery");
            assertThat(killed).isPositive();
            assertThat(failures).isLessThanOrEqualTo(2);
            assertThat(repository.getAll(Model.PIPELINE, ids)).hasSize(10)
                    .allSatisfy(p -> assertThat(p.status()).isEqualTo(Status.CANCELLED));
        }
    }

    @Test
    void updateAllOfManyRowsKeepsInstantsFarFromNow() {
        // one statement carries the rows as ISO text, readable for years 1 to 9999; others take the row-by-row path
        JdbcRepository repository = JdbcRepository.builder().dataSource(Databases.postgres(schema))
                .tablePrefix("far_").build();
        List<Instant> instants = List.of(Instant.parse("-0005-01-01T00:00:00Z"), Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"), Instant.parse("+12000-06-01T12:00:00.000001Z"));
        List<PipelineRecord> saved = new ArrayList<>();
        for (Instant instant : instants) {
            saved.add(repository.save(aPipeline().build()));
        }
        List<StoredRecord> changes = new ArrayList<>();
        for (int i = 0; i < saved.size(); i++) {
            changes.add(saved.get(i).withDueAt(instants.get(i)).withUpdatedAt(instants.get(i)));
        }

        repository.updateAll(changes);

        assertThat(repository.getAll(Model.PIPELINE, saved.stream().map(PipelineRecord::id).toList()))
                .extracting(PipelineRecord::dueAt).containsExactlyElementsOf(instants);
        for (int i = 0; i < 2; i++) {
            // and the same within years 1 to 9999 alone, through the one-statement path
            List<StoredRecord> near = List.of(repository.get(Model.PIPELINE, saved.get(1).id()).orElseThrow()
                    .withDueAt(instants.get(2 - i)), repository.get(Model.PIPELINE, saved.get(2).id()).orElseThrow()
                    .withDueAt(instants.get(1 + i)));
            repository.updateAll(near);
            assertThat(repository.get(Model.PIPELINE, saved.get(1).id())).get().extracting(PipelineRecord::dueAt)
                    .isEqualTo(instants.get(2 - i));
            assertThat(repository.get(Model.PIPELINE, saved.get(2).id())).get().extracting(PipelineRecord::dueAt)
                    .isEqualTo(instants.get(1 + i));
        }
    }

    /** One of three steps that do nothing but finish. */
    @Step(name = "HotA")
    public static class HotA implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    /** The second. */
    @Step(name = "HotB")
    public static class HotB extends HotA {
    }

    /** The third. */
    @Step(name = "HotC")
    public static class HotC extends HotA {
    }

    @Pipeline(name = "HotChain", steps = {HotA.class, HotB.class, HotC.class})
    public static class HotChain {
    }

    @Test
    void transitionsThatKeepTheClaimAreHotUpdatesThatWriteNoIndex() throws Exception {
        JdbcRepository repository = JdbcRepository.builder().dataSource(Databases.postgres(schema))
                .tablePrefix("hot_").build();
        int pipelines = 50;
        try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(HotChain.class).build())) {
            for (int i = 0; i < pipelines; i++) {
                orchestrator.start(HotChain.class);
            }
            assertThat(orchestrator.awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
        // three transitions per pipeline; the last changes its status and due time (indexed), the first two do not
        long[] runs = updates("hot_pipelines", 3L * pipelines);
        long[] steps = updates("hot_pipeline_steps", 3L * pipelines);
        System.out.printf("HOT updates: pipelines %d of %d, steps %d of %d%n", runs[1], runs[0], steps[1], steps[0]);

        // not all: an update finds no room on its page while another session's snapshot keeps the row's old versions
        // (CI once saw 86 of 100 with other tests running); a transition that rewrote an indexed column would make
        // none of them HOT, and this still fails for it
        assertThat(runs[1]).isGreaterThanOrEqualTo(2L * pipelines * 6 / 10);
        assertThat(steps[1]).isGreaterThanOrEqualTo(3L * pipelines * 6 / 10);
    }

    /** @return {updates, HOT updates} of {@code table}, once its statistics show {@code expected} updates */
    private long[] updates(String table, long expected) throws Exception {
        long[] counts = updatesAnd(table, "n_tup_hot_upd", expected);
        assertThat(counts[0]).as("updates of " + table).isEqualTo(expected);
        return counts;
    }

    /** @return {n_tup_upd, {@code column}} of {@code table}, once n_tup_upd reached {@code updates} */
    private long[] updatesAnd(String table, String column, long updates) throws Exception {
        return statistics("SELECT n_tup_upd, " + column + " FROM pg_stat_user_tables WHERE schemaname = '" + schema
                + "' AND relname = '" + table + "'", counts -> counts[0] >= updates);
    }

    /**
     * @return the numbers of the one row {@code query} reads from PostgreSQL's statistics, once they are {@code ready}
     *     (or after 30 s): backends report their statistics when idle or when they end, not as they go
     */
    private static long[] statistics(String query, Predicate<long[]> ready) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        try (Connection c = DriverManager.getConnection(Databases.POSTGRES_URL); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery(query)) {
                    rs.next();
                    long[] numbers = new long[rs.getMetaData().getColumnCount()];
                    for (int i = 0; i < numbers.length; i++) {
                        numbers[i] = rs.getLong(i + 1);
                    }
                    if (ready.test(numbers) || System.nanoTime() > deadline) {
                        return numbers;
                    }
                }
                Thread.sleep(50);
            }
        }
    }

    private static String explain(Statement s, String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
