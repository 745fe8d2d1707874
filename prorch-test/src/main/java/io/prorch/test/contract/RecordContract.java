package io.prorch.test.contract;

import static io.prorch.test.contract.RecordBuilders.T0;
import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static io.prorch.test.contract.RecordBuilders.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.Status;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StepRecord;
import io.prorch.repository.VersionConflictException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The part of {@link RepositoryContractTest} that defines saving and reading single records: save and get, the
 * fidelity of metadata, and the optimistic-locking update. Not extended on its own: {@link RepositoryContractTest}
 * extends it, and sets {@link #repo} before every test.
 */
public abstract class RecordContract extends OperationsContract {
    /** The repository under test, fresh for every test: {@link RepositoryContractTest} creates it. */
    protected IRepository repo;

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Nested
    @DisplayName("save and get")
    class SaveAndGet {
        @Test
        @DisplayName("round-trips every field of a pipeline, with all optional fields set")
        void roundTripsAFullPipeline() {
            PipelineRecord full = aPipeline().withStatus(Status.FAILED).withStepNames(List.of("Ä", "B b", "C"))
                    .withCurrentStep(2).withMetadata(Map.of("k", "v")).withVersion(7)
                    .withTimestamps(at(1), at(2).plusNanos(999_000)).withDueAt(at(3))
                    .withClaim("orchestrator-1", at(4)).withLastError("boom\n\tat x").withIdempotencyKey("order-1")
                    .build();

            assertThat(repo.save(full)).isEqualTo(full);
            assertThat(repo.get(Model.PIPELINE, full.id())).contains(full);
        }

        @Test
        @DisplayName("round-trips a pipeline whose optional fields are all null")
        void roundTripsAMinimalPipeline() {
            PipelineRecord minimal = aPipeline().withStepNames(List.of("Only")).build();

            repo.save(minimal);

            assertThat(repo.get(Model.PIPELINE, minimal.id())).contains(minimal);
        }

        @Test
        @DisplayName("round-trips every field of a step")
        void roundTripsAStep() {
            StepRecord full = aStep().withName("Transfer").withPosition(3).withStatus(Status.PENDING)
                    .withMetadata(Map.of("path", "/tmp/x")).withAttempts(2).withVersion(5)
                    .withLastError("java.io.IOException: disk full").build();
            StepRecord minimal = aStep().build();

            repo.save(full);
            repo.save(minimal);

            assertThat(repo.get(Model.STEP, full.id())).contains(full);
            assertThat(repo.get(Model.STEP, minimal.id())).contains(minimal);
        }

        @Test
        @DisplayName("returns empty for an unknown id, and keeps the two models apart")
        void unknownIdsAndModelSeparation() {
            PipelineRecord pipeline = repo.save(aPipeline().build());
            StepRecord step = repo.save(aStep().withId(pipeline.id()).build());

            assertThat(repo.get(Model.PIPELINE, UUID.randomUUID())).isEmpty();
            assertThat(repo.get(Model.STEP, pipeline.id())).contains(step);
            assertThat(repo.get(Model.PIPELINE, pipeline.id())).contains(pipeline);
        }

        @Test
        @DisplayName("rejects a second record with the same id and keeps the first")
        void rejectsDuplicateIds() {
            PipelineRecord first = repo.save(aPipeline().withName("First").build());

            assertThatThrownBy(() -> repo.save(aPipeline().withId(first.id()).withName("Second").build()))
                    .isInstanceOf(DuplicateRecordException.class).hasMessageContaining(first.id().toString());
            assertThat(repo.get(Model.PIPELINE, first.id())).contains(first);
        }

        @Test
        @DisplayName("rejects a second pipeline with the same idempotency key")
        void rejectsDuplicateIdempotencyKeys() {
            PipelineRecord first = repo.save(aPipeline().withIdempotencyKey("order-7").build());
            PipelineRecord second = aPipeline().withIdempotencyKey("order-7").build();

            assertThatThrownBy(() -> repo.save(second)).isInstanceOf(DuplicateRecordException.class);
            assertThat(repo.get(Model.PIPELINE, second.id())).isEmpty();
            assertThat(repo.get(Model.PIPELINE, first.id())).contains(first);
            PipelineRecord other = repo.save(aPipeline().withIdempotencyKey("order-8").build());
            assertThat(repo.get(Model.PIPELINE, other.id())).contains(other);
        }

        @Test
        @DisplayName("an update keeps the idempotency key it was saved with: still found by it, still unique")
        void updatesKeepTheIdempotencyKey() {
            PipelineRecord saved = repo.save(aPipeline().withIdempotencyKey("order-9").build());

            PipelineRecord updated = repo.update(saved.withStatus(Status.FINISHED).withLastError("done"));

            assertThat(updated.idempotencyKey()).isEqualTo("order-9");
            assertThat(repo.search(Model.PIPELINE, SearchFilter.all().where(SearchField.IDEMPOTENCY_KEY, "order-9")))
                    .containsExactly(updated);
            assertThatThrownBy(() -> repo.save(aPipeline().withIdempotencyKey("order-9").build()))
                    .isInstanceOf(DuplicateRecordException.class);
        }
    }

    @Nested
    @DisplayName("metadata")
    class MetadataFidelity {
        private Map<String, Object> roundTrip(Map<String, ?> metadata) {
            PipelineRecord saved = repo.save(aPipeline().withMetadata(metadata).build());
            StepRecord step = repo.save(aStep().withMetadata(metadata).build());
            Map<String, Object> read = repo.get(Model.PIPELINE, saved.id()).orElseThrow().metadata();
            assertThat(repo.get(Model.STEP, step.id()).orElseThrow().metadata()).isEqualTo(read);
            return read;
        }

        @Test
        @DisplayName("keeps nested maps, lists, nulls and booleans")
        void nestedStructures() {
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("list", List.of(1, "two", List.of(), Map.of()));
            nested.put("map", Map.of("deeper", Map.of("deepest", List.of(true, false))));
            nested.put("nothing", null);
            nested.put("empty", "");

            assertThat(roundTrip(nested)).isEqualTo(new io.prorch.Metadata(nested).asMap());
        }

        @Test
        @DisplayName("keeps numbers exactly: integers as Long or BigInteger, floating point as Double")
        void numbers() {
            Map<String, Object> numbers = new LinkedHashMap<>();
            numbers.put("int", 42);
            numbers.put("max", Long.MAX_VALUE);
            numbers.put("min", Long.MIN_VALUE);
            numbers.put("big", BigInteger.TEN.pow(30).negate());
            numbers.put("tenth", 0.1);
            numbers.put("tiny", 1e-300);
            numbers.put("huge", 1e300);
            numbers.put("whole", 2.0);
            numbers.put("largest", Double.MAX_VALUE);
            numbers.put("smallest", Double.MIN_VALUE);
            numbers.put("negativeZero", -0.0);

            Map<String, Object> read = roundTrip(numbers);

            assertThat(read).isEqualTo(new io.prorch.Metadata(numbers).asMap());
            assertThat(read.get("int")).isEqualTo(42L);
            assertThat(read.get("whole")).isEqualTo(2.0);
            assertThat(read.get("huge")).isEqualTo(1e300);
            assertThat(read.get("negativeZero")).isEqualTo(0.0);
        }

        @Test
        @DisplayName("keeps unicode, quotes, backslashes and control characters in keys and values")
        void text() {
            Map<String, Object> text = new LinkedHashMap<>();
            text.put("emoji 🙂", "🚀 zażółć 日本語 עברית");
            text.put("quotes", "\"'\\ / \t\n\r\u0001\u001f\u2028");
            text.put("{\"json\": true}", "[1, 2]");

            assertThat(roundTrip(text)).isEqualTo(text);
        }

        @Test
        @DisplayName("keeps a 900 kB string and a map of 5,000 keys (just under 1 MiB of JSON)")
        void largeValues() {
            Map<String, Object> many = new LinkedHashMap<>();
            for (int i = 0; i < 5_000; i++) {
                many.put("key-" + i, i);
            }
            Map<String, Object> large = Map.of("blob", "x".repeat(900_000), "many", many);

            assertThat(roundTrip(large)).isEqualTo(new io.prorch.Metadata(large).asMap());
        }
    }

    @Nested
    @DisplayName("update")
    class Update {
        @Test
        @DisplayName("stores the record and returns it with version + 1")
        void bumpsVersion() {
            PipelineRecord saved = repo.save(aPipeline().build());

            PipelineRecord updated = repo.update(saved.withStatus(Status.FINISHED).withMetadata(Map.of("a", 1)));

            assertThat(updated.version()).isEqualTo(1);
            assertThat(updated.status()).isEqualTo(Status.FINISHED);
            assertThat(repo.get(Model.PIPELINE, saved.id())).contains(updated);
            assertThat(repo.update(updated.withDueAt(at(9))).version()).isEqualTo(2);
        }

        @Test
        @DisplayName("rejects a stale version and keeps the stored record")
        void rejectsStaleVersion() {
            PipelineRecord saved = repo.save(aPipeline().build());
            PipelineRecord winner = repo.update(saved.withStatus(Status.CANCELLED));

            assertThatThrownBy(() -> repo.update(saved.withStatus(Status.FAILED)))
                    .isInstanceOf(VersionConflictException.class)
                    .hasMessageContaining(saved.id().toString())
                    .satisfies(e -> {
                        VersionConflictException conflict = (VersionConflictException) e;
                        assertThat(conflict.id()).isEqualTo(saved.id());
                        assertThat(conflict.model()).isEqualTo(Model.PIPELINE);
                        assertThat(conflict.expectedVersion()).isZero();
                    });
            assertThat(repo.get(Model.PIPELINE, saved.id())).contains(winner);
        }

        @Test
        @DisplayName("rejects a version ahead of the stored one, and an unknown id")
        void rejectsFutureVersionAndUnknownId() {
            StepRecord saved = repo.save(aStep().build());

            assertThatThrownBy(() -> repo.update(saved.withVersion(3))).isInstanceOf(VersionConflictException.class);
            assertThatThrownBy(() -> repo.update(aStep().build())).isInstanceOf(VersionConflictException.class);
            assertThat(repo.get(Model.STEP, saved.id())).contains(saved);
        }
    }
}
