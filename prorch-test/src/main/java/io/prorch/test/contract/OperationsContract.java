package io.prorch.test.contract;

import static io.prorch.test.contract.RecordBuilders.T0;
import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.PipelineCounts;
import io.prorch.Status;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link RepositoryContractTest} that operators' reads rely on: value sets, time ranges, the
 * newest-first order with keyset paging, and counts. {@link RepositoryContractTest} extends it; extend that class.
 */
public abstract class OperationsContract {
    /** @return the repository under test, fresh for every test */
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
}
