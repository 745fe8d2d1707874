package io.prorch.jdbc;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static io.prorch.test.contract.RecordBuilders.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.Status;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.HistoryRecord;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StoredRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A group of concurrent starts is one {@code saveAll} of up to 256 records (the engine's {@code StartGroups}): on
 * PostgreSQL one statement, elsewhere one multi-row INSERT per table. All of it lands, or, with one duplicate key
 * among it, none of it.
 */
class GroupedInsertTest {
    private static final int STARTS = 64;

    @Test
    void h2WritesAGroupOfStartsAllOrNothing() {
        check(JdbcRepository.create(Databases.h2Memory()));
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
            disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
    void postgresWritesAGroupOfStartsAllOrNothing() {
        onPostgres(GroupedInsertTest::check);
    }

    /** Runs {@code test} on a repository in a PostgreSQL schema of its own, dropped afterwards. */
    private static void onPostgres(Consumer<JdbcRepository> test) {
        String schema = Databases.createPostgresSchema();
        try {
            test.accept(JdbcRepository.create(Databases.postgres(schema)));
        } finally {
            Databases.dropPostgresSchema(schema);
        }
    }

    /**
     * On PostgreSQL a group of starts is one statement of common table expressions: text that SQL or JSON gives a
     * meaning to (quotes, backslashes, braces, commas, the word NULL, blanks) comes back as it was, and so do nulls,
     * nested metadata, history entries and an instant beyond the year 9999.
     */
    @Test
    @EnabledIfEnvironmentVariable(named = "PRORCH_TEST_POSTGRES_URL", matches = ".+",
            disabledReason = "set PRORCH_TEST_POSTGRES_URL to run")
    void postgresKeepsTheValuesOfAGroupAsTheyWere() {
        onPostgres(repository -> {
            List<String> awkward = List.of("a \"quoted\" {brace}, comma", "back\\slash\\", "NULL", "", " ",
                    "line\nbreak\ttab", "über 日本 \uD83D\uDE00", "{\"json\": [1, 2]}");
            List<StoredRecord> group = new ArrayList<>();
            List<PipelineRecord> pipelines = new ArrayList<>();
            Instant now = Instant.parse("2026-12-07T10:00:00.123456Z");
            for (String text : awkward) {
                PipelineRecord pipeline = aPipeline().withName("P " + text).withStepNames(List.of("A " + text, "B"))
                        .withMetadata(Map.of("text", text, "nested", Map.of("list", List.of(text, 1L, true)),
                                "none", Map.of()))
                        .withTimestamps(now, now).withDueAt(now).withClaim("owner " + text, now)
                        .withLastError(text.isBlank() ? null : text).withIdempotencyKey("key " + text).build();
                pipelines.add(pipeline);
                group.add(aStep().withPipelineId(pipeline.id()).withName("A " + text).withPosition(0)
                        .withMetadata(Map.of("k " + text, text)).withLastError(text).build());
                group.add(new HistoryRecord(UUID.randomUUID(), pipeline.id(), "A " + text, 0, null, Status.PENDING, 0,
                        "orchestrator " + text, now, null, text, text.isEmpty() ? null : text, null, null, null, null));
                group.add(pipeline);
            }
            repository.saveAll(group);
            // beyond the years that PostgreSQL's text form of an instant carries exactly
            PipelineRecord far = aPipeline().withTimestamps(now, now).withDueAt(Instant.parse("+10000-01-01T00:00:00Z"))
                    .withIdempotencyKey("far").build();
            PipelineRecord near = aPipeline().withMetadata(Map.of("text", awkward.get(0))).build();
            repository.saveAll(List.of(far, near));
            pipelines.addAll(List.of(far, near));

            assertThat(repository.getAll(Model.PIPELINE, ids(pipelines))).containsExactlyElementsOf(pipelines);
            List<StoredRecord> others = group.stream().filter(r -> !(r instanceof PipelineRecord)).toList();
            for (StoredRecord record : others) {
                assertThat(repository.get(Model.of(record), record.id())).contains(record);
            }
        });
    }

    private static void check(JdbcRepository repository) {
        List<PipelineRecord> pipelines = new ArrayList<>();
        List<StoredRecord> group = starts(pipelines, null);

        assertThat(repository.saveAll(group)).hasSize(STARTS * 4);
        assertThat(repository.getAll(Model.PIPELINE, ids(pipelines))).containsExactlyElementsOf(pipelines);

        // a second group, one of whose starts repeats a key of the first: nothing of it is written
        String taken = pipelines.get(7).idempotencyKey();
        List<PipelineRecord> second = new ArrayList<>();
        List<StoredRecord> clashing = starts(second, taken);
        assertThatThrownBy(() -> repository.saveAll(clashing)).isInstanceOf(DuplicateRecordException.class);
        assertThat(repository.getAll(Model.PIPELINE, ids(second))).isEmpty();
        assertThat(repository.getAll(Model.STEP, clashing.stream().filter(r -> !(r instanceof PipelineRecord))
                .map(StoredRecord::id).toList())).isEmpty();
    }

    /** {@value #STARTS} new pipelines of three steps, the steps of each before it; the last one keyed {@code key}. */
    private static List<StoredRecord> starts(List<PipelineRecord> pipelines, String key) {
        List<StoredRecord> records = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
            String own = i == STARTS - 1 && key != null ? key : "order-" + UUID.randomUUID();
            PipelineRecord pipeline = aPipeline().withStepNames(List.of("A", "B", "C")).withIdempotencyKey(own)
                    .build();
            for (int position = 0; position < 3; position++) {
                records.add(aStep().withPipelineId(pipeline.id()).withPosition(position)
                        .withName(List.of("A", "B", "C").get(position)).build());
            }
            records.add(pipeline);
            pipelines.add(pipeline);
        }
        return records;
    }

    private static List<UUID> ids(List<PipelineRecord> pipelines) {
        return pipelines.stream().map(PipelineRecord::id).toList();
    }
}
