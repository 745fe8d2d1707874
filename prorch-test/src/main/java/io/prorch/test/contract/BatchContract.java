package io.prorch.test.contract;

import static io.prorch.test.contract.RecordBuilders.T0;
import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static io.prorch.test.contract.RecordBuilders.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.Status;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The part of {@link RepositoryContractTest} that defines the batches ({@code updateAll}, {@code saveAll},
 * {@code getAll}) and search. Not extended on its own: {@link RepositoryContractTest} extends it.
 */
public abstract class BatchContract extends RecordContract {
    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
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
}
