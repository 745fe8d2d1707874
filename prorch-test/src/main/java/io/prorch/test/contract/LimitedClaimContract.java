package io.prorch.test.contract;

import static io.prorch.test.contract.RecordBuilders.T0;
import static io.prorch.test.contract.RecordBuilders.aPipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.Status;
import io.prorch.repository.ClaimLimit;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.IRepository;
import io.prorch.repository.PipelineRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The part of {@link RepositoryContractTest} that defines {@link IRepository#claimDue} with {@link ClaimLimit}s: the
 * bound on running pipelines (alone and under claimers racing), the rate, priorities within a queue. Not extended on
 * its own: {@link RepositoryContractTest} extends it.
 */
public abstract class LimitedClaimContract {
    /** @return the repository under test, fresh for every test */
    protected abstract IRepository repository();

    private static Instant at(double seconds) {
        return T0.plusNanos(Math.round(seconds * 1e9));
    }

    private static ClaimRequest claim(String owner, double now, int limit, ClaimLimit... queues) {
        return new ClaimRequest(owner, at(now), at(now + 60), limit, List.of(queues));
    }

    private PipelineRecord save(String name, double due, int priority) {
        return repository().save(aPipeline().withName(name).withDueAt(at(due))
                .withMetadata(Map.of(PipelineRecord.PRIORITY_KEY, priority)).build());
    }

    /** Ends a claimed pipeline's run as a transition does: finished, unclaimed, due never. */
    private void finish(PipelineRecord claimed) {
        repository().update(claimed.withStatus(Status.FINISHED).withClaim(null, null).withDueAt(null));
    }

    private static long count(List<PipelineRecord> claimed, String name) {
        return claimed.stream().filter(p -> p.name().equals(name)).count();
    }

    @Nested
    @DisplayName("claimDue with limits")
    class Limits {
        private final ClaimLimit two = new ClaimLimit("q", Set.of("Limited"), 2, 0);

        @Test
        @DisplayName("claims at most maxRunning of a queue, earliest due first, and the other pipelines as before")
        void holdsTheBound() {
            List<UUID> limited = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                limited.add(save("Limited", i, 0).id());
            }
            for (int i = 0; i < 3; i++) {
                save("Free", i, 0);
            }

            List<PipelineRecord> first = repository().claimDue(claim("a", 10, 100, two));
            assertThat(count(first, "Free")).isEqualTo(3);
            assertThat(first).filteredOn(p -> p.name().equals("Limited")).extracting(PipelineRecord::id)
                    .containsExactlyInAnyOrder(limited.get(0), limited.get(1));
            assertThat(repository().claimDue(claim("b", 11, 100, two))).isEmpty();

            finish(first.stream().filter(p -> p.id().equals(limited.get(0))).findFirst().orElseThrow());
            assertThat(repository().claimDue(claim("b", 12, 100, two))).extracting(PipelineRecord::id)
                    .containsExactly(limited.get(2));
            assertThat(repository().claimDue(claim("b", 13, 100, two))).isEmpty();
        }

        @Test
        @DisplayName("frees the slot of a claim once it expired")
        void expiredClaimsFreeTheirSlots() {
            for (int i = 1; i <= 4; i++) {
                save("Limited", i, 0);
            }
            assertThat(repository().claimDue(claim("crashed", 10, 100, two))).hasSize(2);
            assertThat(repository().claimDue(claim("other", 69.9, 100, two))).isEmpty();

            List<PipelineRecord> taken = repository().claimDue(claim("other", 70, 100, two));
            assertThat(taken).hasSize(2).allSatisfy(p -> assertThat(p.claimOwner()).isEqualTo("other"));
        }

        @Test
        @DisplayName("takes a queue's highest priority first, then the earliest due")
        void ordersByPriority() {
            UUID low = save("Limited", 0, -1).id();
            UUID normal = save("Limited", 1, 0).id();
            UUID urgentLater = save("Limited", 3, 5).id();
            UUID urgent = save("Limited", 2, 5).id();
            UUID otherQueue = save("Other", 0, 0).id();
            ClaimLimit one = new ClaimLimit("q", Set.of("Limited"), 1, 0);

            List<UUID> order = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (PipelineRecord p : repository().claimDue(claim("me", 10 + round, 10, one))) {
                    if (p.name().equals("Limited")) {
                        order.add(p.id());
                    }
                    finish(p);
                }
            }

            assertThat(order).containsExactly(urgent, urgentLater, normal, low);
            assertThat(repository().get(io.prorch.repository.Model.PIPELINE, otherQueue).orElseThrow().status())
                    .isEqualTo(Status.FINISHED);
        }

        @Test
        @DisplayName("holds a rate: a burst of one second's worth, then one claim per 1/rate")
        void holdsARate() {
            for (int i = 0; i < 10; i++) {
                save("Limited", i * 0.001, 0);
            }
            ClaimLimit twoPerSecond = new ClaimLimit("r", Set.of("Limited"), 0, 2);

            assertThat(repository().claimDue(claim("a", 10, 100, twoPerSecond))).hasSize(2);
            assertThat(repository().claimDue(claim("b", 10, 100, twoPerSecond))).isEmpty();
            assertThat(repository().claimDue(claim("b", 10.4, 100, twoPerSecond))).isEmpty();
            assertThat(repository().claimDue(claim("b", 10.5, 100, twoPerSecond))).hasSize(1);
            assertThat(repository().claimDue(claim("a", 10.6, 100, twoPerSecond))).isEmpty();
            assertThat(repository().claimDue(claim("a", 20, 100, twoPerSecond))).hasSize(2);
        }

        @Test
        @Timeout(60)
        @DisplayName("six claimers racing never hold more than maxRunning of a queue at once")
        void racingClaimersHoldTheBound() throws Exception {
            for (int i = 0; i < 40; i++) {
                save("Limited", i % 5, 0);
            }
            ClaimLimit three = new ClaimLimit("q", Set.of("Limited"), 3, 0);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> claimers = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            for (int t = 0; t < 6; t++) {
                String owner = "claimer-" + t;
                claimers.add(pool.submit(() -> {
                    while (finished.get() < 40 && System.nanoTime() < deadline) {
                        for (PipelineRecord p : repository().claimDue(claim(owner, 10, 4, three))) {
                            most.accumulateAndGet(running.incrementAndGet(), Math::max);
                            Thread.yield();
                            running.decrementAndGet(); // before the release commits: the store still counts it
                            finish(p);
                            finished.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> claimer : claimers) {
                claimer.get(50, TimeUnit.SECONDS);
            }
            pool.shutdown();

            assertThat(finished.get()).isEqualTo(40);
            assertThat(most.get()).isBetween(1, 3);
        }

        @Test
        @Timeout(60)
        @DisplayName("eight claimers let go at once claim exactly maxRunning of a queue between them")
        void simultaneousClaimersTakeExactlyTheBound() throws Exception {
            for (int i = 0; i < 20; i++) {
                save("Limited", i, 0);
            }
            ClaimLimit three = new ClaimLimit("q", Set.of("Limited"), 3, 0);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Future<Integer>> claimers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String owner = "claimer-" + t;
                claimers.add(pool.submit(() -> {
                    go.await();
                    int claimed = 0;
                    for (int round = 0; round < 3; round++) {
                        claimed += repository().claimDue(claim(owner, 30, 5, three)).size();
                    }
                    return claimed;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> claimer : claimers) {
                total += claimer.get(50, TimeUnit.SECONDS);
            }
            pool.shutdown();

            assertThat(total).isEqualTo(3);
        }

        @Test
        @DisplayName("refuses malformed limits and a name in two queues")
        void badLimits() {
            assertThatThrownBy(() -> new ClaimLimit("q", Set.of(), 1, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least one pipeline");
            assertThatThrownBy(() -> new ClaimLimit("q", Set.of("A"), 0, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRunning >= 1 or perSecond");
            assertThatThrownBy(() -> new ClaimLimit("q", Set.of("A"), -1, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ClaimLimit("q", Set.of("A"), 0, Double.NaN))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ClaimLimit(" ", Set.of("A"), 1, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ClaimLimit(null, Set.of("A"), 1, 0))
                    .isInstanceOf(NullPointerException.class).hasMessage("queue");
            assertThatThrownBy(() -> claim("me", 1, 1, new ClaimLimit("a", Set.of("A"), 1, 0),
                    new ClaimLimit("b", Set.of("A"), 1, 0))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pipeline \"A\" is in two queues");
            assertThatThrownBy(() -> new ClaimRequest("me", at(1), at(2), 1, (java.util.List<io.prorch.repository.ClaimLimit>) null))
                    .isInstanceOf(NullPointerException.class).hasMessage("limits");
        }
    }
}
