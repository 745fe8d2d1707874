package io.prorch.jdbc;

import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static io.prorch.test.contract.RecordBuilders.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StoredRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
        String schema = Databases.createPostgresSchema();
        try {
            check(JdbcRepository.create(Databases.postgres(schema)));
        } finally {
            Databases.dropPostgresSchema(schema);
        }
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
