package io.prorch.test.contract;

import static io.prorch.test.contract.RecordBuilders.T0;
import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.PipelineCounts;
import io.prorch.Status;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.HistoryRecord;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StoredRecord;
import io.prorch.repository.VersionConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link RepositoryContractTest} that operators rely on: value sets, time ranges, the newest-first
 * order with keyset paging, counts, and the append-only history model. {@link RepositoryContractTest} extends it;
 * extend that class.
 */
public abstract class OperationsContract extends LimitedClaimContract {
    /** @return the repository under test, fresh for every test */
    @Override
    protected abstract IRepository repository();

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Nested
    @DisplayName("search for operators")
    class OperatorSearch {
        @Test
        @DisplayName("matches any of a set of values, and time ranges from inclusive to exclusive")
        void valueSetsAndRanges() {
            IRepository repo = repository();
            PipelineRecord failed = repo.save(aPipeline().withName("A").withStatus(Status.FAILED)
                    .withTimestamps(at(1), at(10)).build());
            PipelineRecord cancelled = repo.save(aPipeline().withName("B").withStatus(Status.CANCELLED)
                    .withTimestamps(at(2), at(20)).build());
            PipelineRecord finished = repo.save(aPipeline().withName("C").withStatus(Status.FINISHED)
                    .withTimestamps(at(3), at(30)).build());
            PipelineRecord pending = repo.save(aPipeline().withName("A").withTimestamps(at(4), at(40)).build());

            assertThat(repo.search(Model.PIPELINE, SearchFilter.all().anyOf(SearchField.STATUS,
                    Set.of(Status.FAILED, Status.CANCELLED)))).containsExactlyInAnyOrder(failed, cancelled);
            assertThat(repo.search(Model.PIPELINE, SearchFilter.all().anyOf(SearchField.NAME, Set.of("A", "C"))
                    .where(SearchField.STATUS, Status.PENDING))).containsExactly(pending);
            assertThat(repo.search(Model.PIPELINE, SearchFilter.all().between(SearchField.CREATED_AT, at(2), at(4))))
                    .containsExactlyInAnyOrder(cancelled, finished);
            assertThat(repo.search(Model.PIPELINE, SearchFilter.all().between(SearchField.UPDATED_AT, at(20), null)))
                    .containsExactlyInAnyOrder(cancelled, finished, pending);
            assertThat(repo.search(Model.PIPELINE, SearchFilter.all().between(SearchField.UPDATED_AT, null, at(20))))
                    .containsExactly(failed);
        }

        @Test
        @DisplayName("pages newest first by creation time then id, each record once, ties included")
        void keysetPaging() {
            IRepository repo = repository();
            List<PipelineRecord> all = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                // three records per second: ties on the time are broken by the id
                all.add(repo.save(aPipeline().withStatus(Status.FAILED).withTimestamps(at(i / 3), at(50)).build()));
            }
            repo.save(aPipeline().withStatus(Status.FINISHED).withTimestamps(at(1), at(50)).build());
            SearchFilter failed = SearchFilter.all().where(SearchField.STATUS, Status.FAILED)
                    .order(SearchFilter.Order.CREATED_DESC);
            all.sort(failed.order(Model.PIPELINE));

            List<PipelineRecord> paged = new ArrayList<>();
            SearchFilter page = failed.limit(4);
            for (int i = 0; i < 5; i++) {
                List<PipelineRecord> found = repo.search(Model.PIPELINE, page);
                paged.addAll(found);
                if (found.size() < 4) {
                    break;
                }
                PipelineRecord last = found.get(found.size() - 1);
                page = page.after(new SearchFilter.Key(last.createdAt(), last.id()));
            }

            assertThat(paged).containsExactlyElementsOf(all);
            assertThat(all.get(0).createdAt()).isEqualTo(at(2));
        }

        @Test
        @DisplayName("orders ids as unsigned numbers, as databases do")
        void unsignedIdOrder() {
            IRepository repo = repository();
            PipelineRecord low = repo.save(aPipeline().withId(new UUID(0x7000000000000000L, 1))
                    .withTimestamps(at(1), at(1)).build());
            PipelineRecord high = repo.save(aPipeline().withId(new UUID(0x9000000000000000L, 1))
                    .withTimestamps(at(1), at(1)).build());

            SearchFilter newest = SearchFilter.all().order(SearchFilter.Order.CREATED_DESC);
            assertThat(repo.search(Model.PIPELINE, newest)).containsExactly(high, low);
            assertThat(repo.search(Model.PIPELINE, newest.after(new SearchFilter.Key(at(1), high.id()))))
                    .containsExactly(low);
        }

        @Test
        @DisplayName("counts pipelines by status and by name")
        void counts() {
            IRepository repo = repository();
            repo.save(aPipeline().withName("A").withStatus(Status.FAILED).build());
            repo.save(aPipeline().withName("A").withStatus(Status.FINISHED).build());
            repo.save(aPipeline().withName("A").withStatus(Status.FINISHED).build());
            repo.save(aPipeline().withName("B").build());

            PipelineCounts counts = repo.countPipelines();

            assertThat(counts.estimated()).isFalse();
            assertThat(counts.byStatus()).containsOnly(java.util.Map.entry(Status.FAILED, 1L),
                    java.util.Map.entry(Status.FINISHED, 2L), java.util.Map.entry(Status.PENDING, 1L));
            assertThat(counts.byName().get("A")).containsOnly(java.util.Map.entry(Status.FAILED, 1L),
                    java.util.Map.entry(Status.FINISHED, 2L));
            assertThat(counts.byName().get("B")).containsOnly(java.util.Map.entry(Status.PENDING, 1L));
            assertThat(counts.total()).isEqualTo(4);
        }
    }

    /** @return a history entry of {@code pipelineId} at {@code at}, every optional field set */
    protected static HistoryRecord anEntry(UUID id, UUID pipelineId, Instant at) {
        return new HistoryRecord(id, pipelineId, "Charge", 1, Status.PENDING, Status.FAILED, 3, "orchestrator-1", at,
                "java.lang.IllegalStateException", "payment \u00e9 down \ud83d\ude00",
                "\tat a.B.c(B.java:1)\n".repeat(100), "approved, paid", "retry", "alice", "fixed");
    }

    @Nested
    @DisplayName("history")
    class History {
        @Test
        @DisplayName("saves entries with every field, reads them back, and finds a pipeline's in order")
        void roundTripAndOrder() {
            IRepository repo = repository();
            UUID pipeline = UUID.randomUUID();
            HistoryRecord full = repo.save(anEntry(HistoryRecord.newId(), pipeline, at(1)));
            HistoryRecord bare = repo.save(new HistoryRecord(HistoryRecord.newId(), pipeline, null, -1, null,
                    Status.PENDING, 0, null, at(0), null, null, null, null, null, null, null));
            // the same instant: the id decides, compared unsigned
            HistoryRecord tieHigh = repo.save(anEntry(new UUID(0x9000000000000000L, 7), pipeline, at(2)));
            HistoryRecord tieLow = repo.save(anEntry(new UUID(0x7000000000000000L, 7), pipeline, at(2)));
            repo.save(anEntry(HistoryRecord.newId(), UUID.randomUUID(), at(1)));

            assertThat(repo.get(Model.HISTORY, full.id())).contains(full);
            assertThat(repo.get(Model.HISTORY, bare.id())).contains(bare);
            assertThat(repo.search(Model.HISTORY, SearchFilter.all().where(SearchField.PIPELINE_ID, pipeline)))
                    .containsExactly(bare, full, tieLow, tieHigh);
            assertThat(repo.search(Model.HISTORY, SearchFilter.all().where(SearchField.PIPELINE_ID, pipeline)
                    .between(SearchField.CREATED_AT, at(1), null).limit(2))).containsExactly(full, tieLow);
        }

        @Test
        @DisplayName("is append-only: updateAll inserts entries with the transition, all or nothing; update refuses")
        void appendOnly() {
            IRepository repo = repository();
            PipelineRecord pipeline = repo.save(aPipeline().build());
            HistoryRecord entry = anEntry(HistoryRecord.newId(), pipeline.id(), at(1));

            List<StoredRecord> stored = repo.updateAll(List.of(pipeline.withStatus(Status.FAILED), entry));

            assertThat(stored.get(1)).isEqualTo(entry);
            assertThat(repo.get(Model.HISTORY, entry.id())).contains(entry);
            assertThatThrownBy(() -> repo.update(entry)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> repo.save(entry)).isInstanceOf(DuplicateRecordException.class);
            if (repo.atomicBatches()) {
                HistoryRecord lost = anEntry(HistoryRecord.newId(), pipeline.id(), at(2));
                assertThatThrownBy(() -> repo.updateAll(List.of(pipeline.withStatus(Status.FINISHED), lost)))
                        .isInstanceOf(VersionConflictException.class);
                assertThat(repo.get(Model.HISTORY, lost.id())).isEmpty();
            }
        }

        @Test
        @DisplayName("updateAll inserts several entries of several pipelines at once, every field as it was given")
        void severalEntriesInOneWrite() {
            IRepository repo = repository();
            PipelineRecord pipeline = repo.save(aPipeline().build());
            UUID other = UUID.randomUUID();
            HistoryRecord full = anEntry(HistoryRecord.newId(), pipeline.id(), at(1));
            HistoryRecord bare = new HistoryRecord(HistoryRecord.newId(), pipeline.id(), null, -1, null,
                    Status.PENDING, 0, null, at(2), null, null, null, null, null, null, null);
            // what a store's own encodings could get wrong: separators, quotes, escapes, braces, the text "NULL",
            // empty and blank text
            HistoryRecord awkward = new HistoryRecord(HistoryRecord.newId(), other, "{a,b} \"NULL\"", 0,
                    Status.CREATED, Status.PENDING, 0, " spaced ", at(3), "", "back\\slash, \"quote\" {brace}\n",
                    "\\", "NULL", "cancel", "", "\t");

            List<StoredRecord> stored = repo.updateAll(List.of(pipeline.withStatus(Status.FAILED), full, bare,
                    awkward));

            assertThat(stored.subList(1, 4)).containsExactly(full, bare, awkward);
            assertThat(repo.search(Model.HISTORY, SearchFilter.all().where(SearchField.PIPELINE_ID, pipeline.id())))
                    .containsExactly(full, bare);
            assertThat(repo.search(Model.HISTORY, SearchFilter.all().where(SearchField.PIPELINE_ID, other)))
                    .containsExactly(awkward);
            assertThat(repo.get(Model.HISTORY, awkward.id())).contains(awkward);
        }
    }

    @Nested
    @DisplayName("purge (optional)")
    class Purge {
        @Test
        @DisplayName("deletes ended pipelines last updated before the bound, with their steps, signals and history")
        void purgesEndedPipelinesWithEverythingOfTheirs() {
            IRepository repo = repository();
            try {
                repo.purge(List.of(), at(0));
            } catch (UnsupportedOperationException optional) {
                org.junit.jupiter.api.Assumptions.abort("this store does not implement purge");
            }
            PipelineRecord finished = pipelineWithEverything(repo, Status.FINISHED, at(10), "old-key");
            PipelineRecord failed = pipelineWithEverything(repo, Status.FAILED, at(10), null);
            PipelineRecord recent = pipelineWithEverything(repo, Status.CANCELLED, at(100), null);
            PipelineRecord running = pipelineWithEverything(repo, Status.PENDING, at(10), null);

            List<UUID> purged = repo.purge(List.of(finished.id(), failed.id(), recent.id(), running.id(),
                    UUID.randomUUID()), at(50));

            assertThat(purged).containsExactlyInAnyOrder(finished.id(), failed.id());
            for (PipelineRecord gone : List.of(finished, failed)) {
                assertThat(repo.get(Model.PIPELINE, gone.id())).isEmpty();
                assertThat(repo.search(Model.STEP, SearchFilter.all().where(SearchField.PIPELINE_ID, gone.id())))
                        .isEmpty();
                assertThat(repo.search(Model.SIGNAL, SearchFilter.all().where(SearchField.PIPELINE_ID, gone.id())))
                        .isEmpty();
                assertThat(repo.search(Model.HISTORY, SearchFilter.all().where(SearchField.PIPELINE_ID, gone.id())))
                        .isEmpty();
            }
            for (PipelineRecord kept : List.of(recent, running)) {
                assertThat(repo.get(Model.PIPELINE, kept.id())).contains(kept);
                assertThat(repo.search(Model.STEP, SearchFilter.all().where(SearchField.PIPELINE_ID, kept.id())))
                        .hasSize(1);
                assertThat(repo.search(Model.HISTORY, SearchFilter.all().where(SearchField.PIPELINE_ID, kept.id())))
                        .hasSize(1);
            }
            // the key of a purged pipeline is free again
            repo.save(aPipeline().withIdempotencyKey("old-key").build());
            assertThat(repo.purge(List.of(finished.id()), at(50))).isEmpty();
        }

        private PipelineRecord pipelineWithEverything(IRepository repo, Status status, Instant updated, String key) {
            PipelineRecord pipeline = repo.save(aPipeline().withStatus(status).withTimestamps(at(0), updated)
                    .withIdempotencyKey(key).build());
            repo.save(RecordBuilders.aStep().withPipelineId(pipeline.id()).withPosition(0).build());
            repo.save(io.prorch.repository.SignalRecord.sent(UUID.randomUUID(), pipeline.id(), "approved",
                    java.util.Map.of(), at(1)));
            repo.save(anEntry(HistoryRecord.newId(), pipeline.id(), at(1)));
            return pipeline;
        }
    }
}
