package io.prorch.test.contract;

import static io.prorch.test.contract.RecordBuilders.T0;
import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static io.prorch.test.contract.RecordBuilders.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.Status;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.SignalRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The definition of a correct {@link IRepository}. Extend it, return a fresh, empty repository from
 * {@link #newRepository()}, and every test here runs against your store.
 *
 * <pre>{@code
 * class MyRepositoryContractTest extends RepositoryContractTest {
 *     protected IRepository newRepository() { return new MyRepository(...); }
 * }
 * }</pre>
 */
public abstract class RepositoryContractTest extends OperationsContract {
    /** The repository under test, fresh for every test. */
    protected IRepository repo;

    /** @return a new, empty repository; called once before every test */
    protected abstract IRepository newRepository();

    /** @return {@link #repo} */
    @Override
    protected final IRepository repository() {
        return repo;
    }

    /** Creates the repository under test. */
    @BeforeEach
    void createRepository() {
        repo = newRepository();
    }

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

    @Nested
    @DisplayName("updateAll, saveAll and getAll")
    class Batches {
        @Test
        @DisplayName("updateAll applies every record, in order, each with version + 1")
        void updateAllAppliesAll() {
            PipelineRecord pipeline = repo.save(aPipeline().build());
            StepRecord step = repo.save(aStep().withPipelineId(pipeline.id()).build());

            List<StoredRecord> updated = repo.updateAll(List.of(pipeline.withStatus(Status.FINISHED),
                    step.withStatus(Status.FINISHED)));

            assertThat(updated).extracting(StoredRecord::version).containsExactly(1L, 1L);
            assertThat(updated.get(0)).isEqualTo(repo.get(Model.PIPELINE, pipeline.id()).orElseThrow());
            assertThat(updated.get(1)).isEqualTo(repo.get(Model.STEP, step.id()).orElseThrow());
        }

        @Test
        @DisplayName("updateAll throws a version conflict for a stale record")
        void updateAllConflicts() {
            StepRecord step = repo.save(aStep().build());
            repo.update(step);

            assertThatThrownBy(() -> repo.updateAll(List.of(step))).isInstanceOf(VersionConflictException.class)
                    .hasMessageContaining(step.id().toString());
        }

        @Test
        @DisplayName("updateAll is all-or-nothing where the store says so (atomicBatches)")
        void updateAllIsAtomic() {
            org.junit.jupiter.api.Assumptions.assumeTrue(repo.atomicBatches(), "store declares no atomic batches");
            PipelineRecord pipeline = repo.save(aPipeline().build());
            StepRecord stale = repo.save(aStep().build());
            repo.update(stale);

            assertThatThrownBy(() -> repo.updateAll(List.of(pipeline.withStatus(Status.FINISHED), stale)))
                    .isInstanceOf(VersionConflictException.class);
            assertThat(repo.get(Model.PIPELINE, pipeline.id())).contains(pipeline);
        }

        @Test
        @DisplayName("updateAll of many records of one model names the stale one and, where atomic, changes none")
        void updateAllOfManyNamesTheStaleOne() {
            List<PipelineRecord> saved = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                saved.add(repo.save(aPipeline().build()));
            }
            PipelineRecord stale = saved.get(6);
            repo.update(stale.withStatus(Status.CANCELLED));
            List<StoredRecord> changes = new ArrayList<>();
            saved.forEach(p -> changes.add(p.withStatus(Status.FINISHED)));

            assertThatThrownBy(() -> repo.updateAll(changes)).isInstanceOf(VersionConflictException.class)
                    .hasMessageContaining(stale.id().toString())
                    .satisfies(e -> assertThat(((VersionConflictException) e).id()).isEqualTo(stale.id()));
            assertThat(repo.get(Model.PIPELINE, stale.id())).get().extracting(PipelineRecord::status)
                    .isEqualTo(Status.CANCELLED);
            if (repo.atomicBatches()) {
                assertThat(repo.getAll(Model.PIPELINE, saved.stream().map(PipelineRecord::id).toList()))
                        .filteredOn(p -> !p.id().equals(stale.id())).containsExactlyElementsOf(
                                saved.stream().filter(p -> !p.id().equals(stale.id())).toList());
            }
        }

        @Test
        @DisplayName("updateAll holding one record twice conflicts on the second, as two updates in a row would")
        void updateAllWithARecordTwice() {
            StepRecord step = repo.save(aStep().build());

            assertThatThrownBy(() -> repo.updateAll(List.of(step.withStatus(Status.PENDING),
                    step.withStatus(Status.FINISHED)))).isInstanceOf(VersionConflictException.class)
                    .hasMessageContaining(step.id().toString());
            StepRecord stored = repo.get(Model.STEP, step.id()).orElseThrow();
            assertThat(stored.status()).isNotEqualTo(Status.FINISHED);
            if (repo.atomicBatches()) {
                assertThat(stored).isEqualTo(step);
            }
        }

        @Test
        @DisplayName("saveAll saves every record; a duplicate throws")
        void saveAll() {
            PipelineRecord pipeline = aPipeline().build();
            StepRecord step = aStep().withPipelineId(pipeline.id()).build();

            assertThat(repo.saveAll(List.of(step, pipeline))).containsExactly(step, pipeline);
            assertThat(repo.get(Model.STEP, step.id())).contains(step);
            assertThatThrownBy(() -> repo.saveAll(List.of(aStep().build(), pipeline)))
                    .isInstanceOf(DuplicateRecordException.class);
        }

        @Test
        @DisplayName("saveAll is all-or-nothing where the store says so (atomicBatches)")
        void saveAllIsAtomic() {
            org.junit.jupiter.api.Assumptions.assumeTrue(repo.atomicBatches(), "store declares no atomic batches");
            PipelineRecord existing = repo.save(aPipeline().build());
            StepRecord fresh = aStep().build();
            PipelineRecord freshPipeline = aPipeline().build();

            assertThatThrownBy(() -> repo.saveAll(List.of(fresh, freshPipeline, existing)))
                    .isInstanceOf(DuplicateRecordException.class);
            assertThat(repo.get(Model.STEP, fresh.id())).isEmpty();
            assertThat(repo.get(Model.PIPELINE, freshPipeline.id())).isEmpty();
        }

        @Test
        @DisplayName("getAll returns the stored records in the order asked, leaving out unknown ids")
        void getAll() {
            StepRecord a = repo.save(aStep().withName("A").build());
            StepRecord b = repo.save(aStep().withName("B").build());

            assertThat(repo.getAll(Model.STEP, List.of(b.id(), UUID.randomUUID(), a.id()))).containsExactly(b, a);
            assertThat(repo.getAll(Model.STEP, List.of())).isEmpty();
            assertThat(repo.getAll(Model.PIPELINE, List.of(a.id()))).isEmpty();
        }
    }

    @Nested
    @DisplayName("search")
    class Search {
        @Test
        @DisplayName("filters on every field, alone and combined")
        void filtersOnEveryField() {
            UUID owner = UUID.randomUUID();
            PipelineRecord pending = repo.save(aPipeline().withName("Backup").withClaim("o1", at(5))
                    .withIdempotencyKey("k1").build());
            PipelineRecord finished = repo.save(aPipeline().withName("Backup").withStatus(Status.FINISHED).build());
            repo.save(aPipeline().withName("Other").build());
            StepRecord s0 = repo.save(aStep().withPipelineId(owner).withPosition(0).withStatus(Status.FINISHED).build());
            StepRecord s1 = repo.save(aStep().withPipelineId(owner).withPosition(1).withName("B").build());
            repo.save(aStep().build());

            assertThat(repo.search(Model.PIPELINE, SearchFilter.all().where(SearchField.NAME, "Backup")))
                    .containsExactlyInAnyOrder(pending, finished);
            assertThat(repo.search(Model.PIPELINE, SearchFilter.all().where(SearchField.NAME, "Backup")
                    .where(SearchField.STATUS, Status.FINISHED))).containsExactly(finished);
            assertThat(repo.search(Model.PIPELINE, SearchFilter.all().where(SearchField.CLAIM_OWNER, "o1")))
                    .containsExactly(pending);
            assertThat(repo.search(Model.PIPELINE, SearchFilter.all().where(SearchField.IDEMPOTENCY_KEY, "k1")))
                    .containsExactly(pending);
            assertThat(repo.search(Model.STEP, SearchFilter.all().where(SearchField.PIPELINE_ID, owner)))
                    .containsExactly(s0, s1);
            assertThat(repo.search(Model.STEP, SearchFilter.all().where(SearchField.PIPELINE_ID, owner)
                    .where(SearchField.STATUS, Status.CREATED).where(SearchField.NAME, "B"))).containsExactly(s1);
            assertThat(repo.search(Model.PIPELINE, SearchFilter.all().where(SearchField.NAME, "Nope"))).isEmpty();
        }

        @Test
        @DisplayName("matches due times up to and including the bound, earliest first, never records without one")
        void dueOrderAndBound() {
            PipelineRecord late = repo.save(aPipeline().withDueAt(at(30)).build());
            PipelineRecord early = repo.save(aPipeline().withDueAt(at(10)).build());
            PipelineRecord exact = repo.save(aPipeline().withDueAt(at(20)).build());
            repo.save(aPipeline().withDueAt(at(21)).build());
            PipelineRecord never = repo.save(aPipeline().withStatus(Status.FINISHED).build());

            assertThat(repo.search(Model.PIPELINE, SearchFilter.all().dueAtOrBefore(at(20))))
                    .containsExactly(early, exact);
            assertThat(repo.search(Model.PIPELINE, SearchFilter.all()).get(4)).isEqualTo(never);
            assertThat(repo.search(Model.PIPELINE, SearchFilter.all()).get(3)).isEqualTo(late);
        }

        @Test
        @DisplayName("returns at most the limit, in search order, and a snapshot the store does not change")
        void limitAndSnapshot() {
            for (int i = 0; i < 5; i++) {
                repo.save(aStep().withPosition(4 - i).build());
            }

            List<StepRecord> two = repo.search(Model.STEP, SearchFilter.all().limit(2));

            assertThat(two).extracting(StepRecord::position).containsExactly(0, 1);
            repo.update(two.get(0).withStatus(Status.FINISHED));
            assertThat(two.get(0).status()).isEqualTo(Status.CREATED);
        }

        @Test
        @DisplayName("rejects a field or a due bound the model does not have")
        void rejectsFieldsOfTheOtherModel() {
            assertThatThrownBy(() -> repo.search(Model.PIPELINE, SearchFilter.all()
                    .where(SearchField.PIPELINE_ID, UUID.randomUUID())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PIPELINE_ID");
            assertThatThrownBy(() -> repo.search(Model.STEP, SearchFilter.all().dueAtOrBefore(T0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dueAtOrBefore");
        }
    }

    @Nested
    @DisplayName("claimDue")
    class ClaimDue {
        @Test
        @DisplayName("claims pending pipelines due by now, earliest first, up to the limit")
        void claimsDuePendingPipelines() {
            PipelineRecord second = repo.save(aPipeline().withDueAt(at(2)).build());
            PipelineRecord first = repo.save(aPipeline().withDueAt(at(1)).build());
            PipelineRecord third = repo.save(aPipeline().withDueAt(at(3)).build());
            repo.save(aPipeline().withDueAt(at(100)).build());
            repo.save(aPipeline().withStatus(Status.FINISHED).withDueAt(at(1)).build());

            List<PipelineRecord> claimed = repo.claimDue(new ClaimRequest("me", at(10), at(70), 2));

            assertThat(claimed).extracting(PipelineRecord::id).containsExactlyInAnyOrder(first.id(), second.id());
            assertThat(claimed).allSatisfy(p -> {
                assertThat(p.claimOwner()).isEqualTo("me");
                assertThat(p.claimExpiresAt()).isEqualTo(at(70));
                assertThat(p.dueAt()).isEqualTo(at(70));
                assertThat(p.updatedAt()).isEqualTo(at(10));
                assertThat(p.version()).isEqualTo(1);
                assertThat(repo.get(Model.PIPELINE, p.id())).contains(p);
            });
            assertThat(repo.claimDue(new ClaimRequest("me", at(10), at(70), 5))).extracting(PipelineRecord::id)
                    .containsExactly(third.id());
            assertThat(repo.claimDue(new ClaimRequest("me", at(10), at(70), 5))).isEmpty();
        }

        @Test
        @DisplayName("claims only the pipelines of the names asked for, when names are given")
        void claimsOnlyTheNamesAskedFor() {
            PipelineRecord security = repo.save(aPipeline().withName("security").withDueAt(at(2)).build());
            PipelineRecord unit = repo.save(aPipeline().withName("unit").withDueAt(at(1)).build());
            PipelineRecord report = repo.save(aPipeline().withName("report").withDueAt(at(3)).build());

            List<PipelineRecord> claimed = repo.claimDue(new ClaimRequest("me", at(10), at(70), 10,
                    Set.of("security", "report")));

            assertThat(claimed).extracting(PipelineRecord::id).containsExactly(security.id(), report.id());
            assertThat(repo.get(Model.PIPELINE, unit.id())).get().extracting(PipelineRecord::claimOwner).isNull();
            assertThat(repo.claimDue(new ClaimRequest("other", at(10), at(70), 10, Set.of("security")))).isEmpty();
            assertThat(repo.claimDue(new ClaimRequest("other", at(10), at(70), 10))).extracting(PipelineRecord::id)
                    .containsExactly(unit.id());
        }

        @Test
        @DisplayName("lets another owner take a claim once it expired")
        void expiredClaimsCanBeTaken() {
            repo.save(aPipeline().withDueAt(at(1)).build());
            repo.claimDue(new ClaimRequest("crashed", at(1), at(60), 10));

            assertThat(repo.claimDue(new ClaimRequest("other", at(59), at(120), 10))).isEmpty();
            assertThat(repo.claimDue(new ClaimRequest("other", at(60), at(120), 10)))
                    .singleElement().extracting(PipelineRecord::claimOwner).isEqualTo("other");
        }
    }

    @Nested
    @DisplayName("concurrency")
    class Concurrency {
        @Test
        @Timeout(60)
        @DisplayName("exactly one of eight writers updating the same version wins")
        void exactlyOneUpdaterWins() throws Exception {
            PipelineRecord saved = repo.save(aPipeline().build());
            List<Future<Boolean>> results = race(8, i -> {
                try {
                    repo.update(saved.withLastError("writer " + i));
                    return true;
                } catch (VersionConflictException lost) {
                    return false;
                }
            });

            assertThat(results.stream().filter(this::get).count()).isEqualTo(1);
            assertThat(repo.get(Model.PIPELINE, saved.id()).orElseThrow().version()).isEqualTo(1);
        }

        @Test
        @Timeout(60)
        @DisplayName("four claimers in a loop claim each of 200 due pipelines exactly once")
        void claimersNeverShareAPipeline() throws Exception {
            Set<UUID> all = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                all.add(repo.save(aPipeline().withDueAt(at(i % 7)).build()).id());
            }
            List<UUID> claimed = Collections.synchronizedList(new ArrayList<>());
            race(4, i -> {
                List<PipelineRecord> batch;
                do {
                    batch = repo.claimDue(new ClaimRequest("claimer-" + i, at(10), at(100), 16));
                    batch.forEach(p -> claimed.add(p.id()));
                } while (!batch.isEmpty());
                return true;
            });

            assertThat(claimed).hasSize(200).doesNotHaveDuplicates();
            assertThat(new HashSet<>(claimed)).isEqualTo(all);
        }

        @Test
        @Timeout(60)
        @DisplayName("concurrent saves of distinct records all land")
        void concurrentSaves() throws Exception {
            race(8, i -> {
                for (int n = 0; n < 25; n++) {
                    repo.save(aStep().withName("S" + i).withPosition(n).build());
                }
                return true;
            });

            assertThat(repo.search(Model.STEP, SearchFilter.all())).hasSize(200);
        }

        private <T> List<Future<T>> race(int threads, java.util.function.IntFunction<T> work) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return work.apply(n);
                }));
            }
            go.countDown();
            for (Future<T> f : futures) {
                f.get(50, TimeUnit.SECONDS);
            }
            pool.shutdown();
            return futures;
        }

        private boolean get(Future<Boolean> f) {
            try {
                return f.get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Nested
    @DisplayName("signals")
    class Signals {
        private final UUID pipeline = UUID.randomUUID();

        private SignalRecord signal(String name, int second, Map<String, Object> payload) {
            return SignalRecord.sent(UUID.randomUUID(), pipeline, name, payload, at(second));
        }

        @Test
        @DisplayName("a signal round-trips every field, its payload exactly")
        void roundTrip() {
            SignalRecord sent = repo.save(signal("approved", 1, Map.of("by", "alice", "amount",
                    new BigInteger("123456789012345678901234567890"), "ok", true, "rate", 0.25)));

            assertThat(repo.get(Model.SIGNAL, sent.id())).contains(sent);
            SignalRecord consumed = repo.update(sent.consumedBy(2, at(3)));
            assertThat(consumed.version()).isEqualTo(1);
            assertThat(repo.get(Model.SIGNAL, sent.id())).contains(consumed);
            assertThat(consumed.status()).isEqualTo(Status.FINISHED);
            assertThat(consumed.consumedByStep()).isEqualTo(2);
        }

        @Test
        @DisplayName("search finds a pipeline's pending signals of a name, oldest first")
        void searchInSendingOrder() {
            SignalRecord second = repo.save(signal("approved", 5, Map.of("n", 2)));
            SignalRecord first = repo.save(signal("approved", 4, Map.of("n", 1)));
            repo.save(signal("rejected", 3, Map.of()));
            SignalRecord third = repo.save(signal("approved", 6, Map.of("n", 3)));
            repo.update(third.consumedBy(0, at(7)));
            repo.save(SignalRecord.sent(UUID.randomUUID(), UUID.randomUUID(), "approved", Map.of(), at(1)));

            SearchFilter pending = SearchFilter.all().where(SearchField.PIPELINE_ID, pipeline)
                    .where(SearchField.STATUS, Status.PENDING).where(SearchField.NAME, "approved");

            assertThat(repo.search(Model.SIGNAL, pending)).containsExactly(first, second);
            assertThat(repo.search(Model.SIGNAL, pending.limit(1))).containsExactly(first);
            assertThat(repo.search(Model.SIGNAL, SearchFilter.all().where(SearchField.PIPELINE_ID, pipeline)))
                    .hasSize(4);
        }

        @Test
        @DisplayName("a signal sent twice with one key is stored once; a stale consume conflicts")
        void idempotentSendAndConflicts() {
            SignalRecord once = repo.save(SignalRecord.sent(SignalRecord.idFor(pipeline, "webhook-9"), pipeline,
                    "paid", Map.of(), at(1)));

            assertThatThrownBy(() -> repo.save(SignalRecord.sent(SignalRecord.idFor(pipeline, "webhook-9"),
                    pipeline, "paid", Map.of("again", true), at(2)))).isInstanceOf(DuplicateRecordException.class);
            repo.update(once.consumedBy(1, at(3)));
            assertThatThrownBy(() -> repo.update(once.consumedBy(2, at(4))))
                    .isInstanceOf(VersionConflictException.class).hasMessageContaining(once.id().toString());
            assertThat(repo.get(Model.SIGNAL, once.id())).get().extracting(SignalRecord::consumedByStep)
                    .isEqualTo(1);
        }

        @Test
        @DisplayName("signals join the batches of pipelines and steps, all or nothing where the store says so")
        void inBatches() {
            PipelineRecord p = repo.save(aPipeline().withId(pipeline).build());
            SignalRecord s = repo.save(signal("go", 1, Map.of()));

            List<StoredRecord> written = repo.updateAll(List.of(p.withStatus(Status.FINISHED), s.consumedBy(0,
                    at(2))));

            assertThat(written).hasSize(2);
            assertThat(repo.get(Model.SIGNAL, s.id())).get().extracting(SignalRecord::status)
                    .isEqualTo(Status.FINISHED);
            if (repo.atomicBatches()) {
                SignalRecord pending = repo.save(signal("later", 3, Map.of()));
                PipelineRecord stale = p;
                assertThatThrownBy(() -> repo.updateAll(List.of(pending.consumedBy(0, at(4)), stale)))
                        .isInstanceOf(VersionConflictException.class);
                assertThat(repo.get(Model.SIGNAL, pending.id())).contains(pending);
            }
        }
    }

    @Nested
    @DisplayName("bad input")
    class BadInput {
        @Test
        @DisplayName("null arguments throw NullPointerException and write nothing")
        void nulls() {
            PipelineRecord saved = repo.save(aPipeline().build());

            assertThatThrownBy(() -> repo.get(null, saved.id())).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.get(Model.PIPELINE, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.save(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.update(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.search(Model.STEP, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.search(null, SearchFilter.all())).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.updateAll(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.saveAll(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.getAll(Model.STEP, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> repo.claimDue(null)).isInstanceOf(NullPointerException.class);
            assertThat(repo.search(Model.PIPELINE, SearchFilter.all())).containsExactly(saved);
        }

        @Test
        @DisplayName("a batch containing a null writes nothing")
        void nullInsideABatch() {
            List<StoredRecord> withNull = new ArrayList<>();
            withNull.add(aStep().build());
            withNull.add(null);

            assertThatThrownBy(() -> repo.saveAll(withNull)).isInstanceOf(NullPointerException.class);
            assertThat(repo.search(Model.STEP, SearchFilter.all())).isEmpty();
        }

        @Test
        @DisplayName("claims ask for a sensible window; a refused request claims nothing")
        void claimRequestsAreChecked() {
            PipelineRecord due = repo.save(aPipeline().withDueAt(at(5)).build());

            assertThatThrownBy(() -> new ClaimRequest("me", at(10), at(10), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("until must be after now");
            assertThatThrownBy(() -> new ClaimRequest(" ", at(10), at(20), 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ClaimRequest("me", at(10), at(20), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
            assertThatThrownBy(() -> new ClaimRequest("me", at(10), at(20), 1, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("pipelineNames");
            assertThatThrownBy(() -> new ClaimRequest("me", at(10), at(20), 1, Set.of(" ")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank name");
            assertThat(repo.get(Model.PIPELINE, due.id())).contains(due);
            assertThat(repo.claimDue(new ClaimRequest("me", at(10), at(20), 1))).extracting(PipelineRecord::id)
                    .containsExactly(due.id());
        }
    }
}
