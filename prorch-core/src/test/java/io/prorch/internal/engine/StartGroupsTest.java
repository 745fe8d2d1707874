package io.prorch.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.Eventually;
import io.prorch.repository.DuplicateRecordException;
import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.RecordRejectedException;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.test.ForwardingRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Starts that arrive while a start's write is in flight share the next commit, and each caller still gets its own
 * outcome. Each test holds the first write at a gate until the others have queued, so the groups are known.
 */
@Timeout(30)
class StartGroupsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T04:00:00Z");

    private final InMemoryRepository memory = InMemoryRepository.create();
    private final GatedStore store = new GatedStore(memory, true, 1);
    private final ExecutorService callers = Executors.newFixedThreadPool(12);

    @AfterEach
    void stop() {
        store.open();
        callers.shutdownNow();
    }

    @Test
    void aLoneStartIsWrittenAtOnceInOneCall() {
        StartGroups groups = new StartGroups(memory);
        Start start = start(null);

        groups.save(start.pipeline, start.records);

        assertThat(memory.get(Model.PIPELINE, start.pipeline.id())).isPresent();
        assertThat(memory.size(Model.STEP)).isEqualTo(3);
    }

    @Test
    void startsArrivingDuringAWriteShareTheNextCommit() throws Exception {
        StartGroups groups = new StartGroups(store);
        List<Start> followers = List.of(start(null), start(null), start(null));

        Future<?> leader = leadBehindGate(groups, start(null));
        List<Future<?>> joined = queue(groups, followers);
        store.open();

        leader.get(10, TimeUnit.SECONDS);
        for (Future<?> f : joined) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(store.saveAllSizes).containsExactly(4, 3 * 4);
        assertThat(memory.size(Model.PIPELINE)).isEqualTo(4);
    }

    @Test
    void fourWaitingStartsWriteBesideTheWriteInFlightAndAThirdWriteWaits() throws Exception {
        GatedStore twoHeld = new GatedStore(memory, true, 2);
        StartGroups groups = new StartGroups(twoHeld);
        Future<?> leader = callers.submit(() -> save(groups, start(null)));
        Eventually.await(() -> twoHeld.saveAllSizes.size() == 1);

        // when: the fourth waiting start sends the four beside the held write, and is held too
        List<Future<?>> second = queue(groups, List.of(start(null), start(null), start(null)));
        second.add(callers.submit(() -> save(groups, start(null))));
        assertThat(twoHeld.entered.await(10, TimeUnit.SECONDS)).as("the second write reached the store").isTrue();
        // two writes in flight: the next five wait, even past four
        List<Future<?>> third = queue(groups, List.of(start(null), start(null), start(null), start(null),
                start(null)));
        twoHeld.open();

        leader.get(10, TimeUnit.SECONDS);
        for (Future<?> f : second) {
            f.get(10, TimeUnit.SECONDS);
        }
        for (Future<?> f : third) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(twoHeld.saveAllSizes).containsExactly(4, 4 * 4, 5 * 4);
        assertThat(memory.size(Model.PIPELINE)).isEqualTo(10);
    }

    @Test
    void aDuplicateKeyInAGroupFailsOnlyItsCallerWithTheMessageItWouldHaveAlone() throws Exception {
        StartGroups groups = new StartGroups(store);
        Start first = start("order-7");
        memory.saveAll(first.records);
        Start a = start(null);
        Start again = start("order-7");
        Start c = start(null);

        Future<?> leader = leadBehindGate(groups, start(null));
        List<Future<?>> joined = queue(groups, List.of(a, again, c));
        store.open();

        leader.get(10, TimeUnit.SECONDS);
        joined.get(0).get(10, TimeUnit.SECONDS);
        joined.get(2).get(10, TimeUnit.SECONDS);
        Throwable alone = catchFrom(() -> memory.saveAll(again.records));
        assertThatThrownBy(() -> joined.get(1).get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(DuplicateRecordException.class).hasMessage(alone.getMessage())
                .hasMessageContaining("order-7");
        assertThat(memory.get(Model.PIPELINE, a.pipeline.id())).isPresent();
        assertThat(memory.get(Model.PIPELINE, c.pipeline.id())).isPresent();
        assertThat(memory.get(Model.PIPELINE, again.pipeline.id())).isEmpty();
        // the leader alone, the group, then its three starts one by one
        assertThat(store.saveAllSizes).containsExactly(4, 12, 4, 4, 4);
    }

    @Test
    void aRecordTheStoreRefusesFailsOnlyItsCaller() throws Exception {
        StartGroups groups = new StartGroups(store);
        Start a = start(null);
        Start refused = start(null);
        store.refuse = records -> records.contains(refused.pipeline);

        Future<?> leader = leadBehindGate(groups, start(null));
        List<Future<?>> joined = queue(groups, List.of(a, refused));
        store.open();

        leader.get(10, TimeUnit.SECONDS);
        joined.get(0).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> joined.get(1).get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(RecordRejectedException.class).hasMessageContaining(refused.pipeline.id().toString());
        assertThat(memory.size(Model.PIPELINE)).isEqualTo(2);
    }

    @Test
    void aStoreFailureFailsTheGroupsCallersWithTheCauseAndLeavesNothingStuck() throws Exception {
        StartGroups groups = new StartGroups(store);
        RepositoryException down = new RepositoryException("connection refused");
        List<Start> followers = List.of(start(null), start(null), start(null));

        Future<?> leader = leadBehindGate(groups, start(null));
        List<Future<?>> joined = queue(groups, followers);
        store.failing = down;
        store.open();

        assertThatThrownBy(() -> leader.get(10, TimeUnit.SECONDS)).cause().isSameAs(down);
        for (Future<?> f : joined) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(RepositoryException.class)
                    .satisfies(e -> assertThat(e == down || e.getCause() == down).isTrue());
        }
        // the group, then its first start alone: the store is down, so the other two are not tried again
        assertThat(store.saveAllSizes).containsExactly(4, 12, 4);
        assertThat(memory.size(Model.PIPELINE)).isZero();

        store.failing = null;
        Start later = start(null);
        groups.save(later.pipeline, later.records);
        assertThat(memory.size(Model.PIPELINE)).isEqualTo(1);
    }

    @Test
    void aGroupWriteWhoseReplyWasLostCountsAsWrittenWhenItLanded() throws Exception {
        StartGroups groups = new StartGroups(store);
        List<Start> followers = List.of(start(null), start(null));
        store.loseReplyOfSize = 8;

        Future<?> leader = leadBehindGate(groups, start(null));
        List<Future<?>> joined = queue(groups, followers);
        store.open();

        leader.get(10, TimeUnit.SECONDS);
        for (Future<?> f : joined) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(memory.size(Model.PIPELINE)).isEqualTo(3);
    }

    @Test
    void anErrorThrownByTheLeadersWriteWakesEveryCallerOfItsGroup() throws Exception {
        StartGroups groups = new StartGroups(store);
        List<Start> followers = List.of(start(null), start(null), start(null));

        Future<?> leader = leadBehindGate(groups, start(null));
        List<Future<?>> joined = queue(groups, followers);
        store.errorOfSize = 4 * 3;
        store.open();

        leader.get(10, TimeUnit.SECONDS);
        for (Future<?> f : joined) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(StoreBug.class);
        }
        Start later = start(null);
        groups.save(later.pipeline, later.records);
        assertThat(memory.size(Model.PIPELINE)).isEqualTo(2);
    }

    @Test
    void aStoreWithoutAtomicBatchesWritesEveryStartAloneAndAtOnce() throws Exception {
        GatedStore notAtomic = new GatedStore(memory, false, 1);
        StartGroups groups = new StartGroups(notAtomic);

        Future<?> first = callers.submit(() -> save(groups, start(null)));
        notAtomic.entered.await(10, TimeUnit.SECONDS);
        Future<?> second = callers.submit(() -> save(groups, start(null)));

        // the second start reaches the store while the first is still held: nothing queued behind it
        Eventually.await(() -> notAtomic.saveAllSizes.size() == 2);
        notAtomic.open();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);
        assertThat(groups.queued()).isZero();
        assertThat(memory.size(Model.PIPELINE)).isEqualTo(2);
    }

    /** Starts {@code start} on a caller thread and returns once its write is held at the gate. */
    private Future<?> leadBehindGate(StartGroups groups, Start start) throws InterruptedException {
        Future<?> leader = callers.submit(() -> save(groups, start));
        assertThat(store.entered.await(10, TimeUnit.SECONDS)).as("the leader reached the store").isTrue();
        return leader;
    }

    /** Starts each of {@code starts} on its own thread, and returns once all wait behind the write in flight. */
    private List<Future<?>> queue(StartGroups groups, List<Start> starts) throws InterruptedException {
        List<Future<?>> futures = new ArrayList<>();
        for (Start start : starts) {
            futures.add(callers.submit(() -> save(groups, start)));
            int queued = futures.size();
            // one at a time, so the group's order is the list's
            Eventually.await(() -> groups.queued() == queued);
        }
        return futures;
    }

    private static Void save(StartGroups groups, Start start) {
        groups.save(start.pipeline, start.records);
        return null;
    }

    private static Throwable catchFrom(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    /** A new pipeline of three steps, as the engine saves it: the steps first, the pipeline last. */
    private static Start start(String idempotencyKey) {
        PipelineRecord pipeline = PipelineRecord.pending(PipelineRecord.newId(), "Chain", List.of("A", "B", "C"),
                Map.of(), NOW).toBuilder().idempotencyKey(idempotencyKey).build();
        List<StoredRecord> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            records.add(StepRecord.created(pipeline.id(), i, pipeline.stepNames().get(i), NOW));
        }
        records.add(pipeline);
        return new Start(pipeline, records);
    }

    private record Start(PipelineRecord pipeline, List<StoredRecord> records) {
    }

    private static final class StoreBug extends Error {
        StoreBug() {
            super("a bug in the store");
        }
    }

    /** Counts saveAll calls (their sizes), holds the first ones at a gate, and fails the ones a test chooses. */
    private static final class GatedStore extends ForwardingRepository {
        final List<Integer> saveAllSizes = Collections.synchronizedList(new ArrayList<>());
        /** Counted down by each held call as it arrives. */
        final CountDownLatch entered;
        private final CountDownLatch gate = new CountDownLatch(1);
        private final AtomicInteger calls = new AtomicInteger();
        private final int held;
        private final boolean atomic;
        volatile RuntimeException failing;
        volatile Predicate<List<? extends StoredRecord>> refuse = records -> false;
        volatile int loseReplyOfSize = -1;
        volatile int errorOfSize = -1;

        /** @param held how many of the first calls wait at the gate until {@link #open()} */
        GatedStore(IRepository delegate, boolean atomic, int held) {
            super(delegate);
            this.atomic = atomic;
            this.held = held;
            this.entered = new CountDownLatch(held);
        }

        void open() {
            gate.countDown();
        }

        @Override
        public List<StoredRecord> saveAll(List<? extends StoredRecord> records) {
            saveAllSizes.add(records.size());
            if (calls.getAndIncrement() < held) {
                entered.countDown();
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failing != null) {
                throw failing;
            }
            if (refuse.test(records)) {
                throw new RecordRejectedException("pipeline " + ((PipelineRecord) records.get(records.size() - 1))
                        .id() + " refused: metadata too large for the store");
            }
            if (records.size() == errorOfSize) {
                throw new StoreBug();
            }
            List<StoredRecord> saved = super.saveAll(records);
            if (records.size() == loseReplyOfSize) {
                throw new RepositoryException("commit succeeded, but the reply was lost");
            }
            return saved;
        }

        @Override
        public boolean atomicBatches() {
            return atomic;
        }
    }
}
