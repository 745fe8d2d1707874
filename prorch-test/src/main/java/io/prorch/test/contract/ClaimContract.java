package io.prorch.test.contract;

import static io.prorch.test.contract.RecordBuilders.T0;
import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static io.prorch.test.contract.RecordBuilders.aStep;
import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Status;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.VersionConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The part of {@link RepositoryContractTest} that defines {@code claimDue} without limits, and claimers and writers
 * racing each other. Not extended on its own: {@link RepositoryContractTest} extends it.
 */
public abstract class ClaimContract extends BatchContract {
    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
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

            assertThat(claimed).extracting(PipelineRecord::id)
                    .containsExactlyInAnyOrder(security.id(), report.id());
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
}
