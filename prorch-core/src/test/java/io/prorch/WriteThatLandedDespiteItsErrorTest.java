package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.Model;
import io.prorch.repository.RepositoryException;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StoredRecord;
import io.prorch.test.ForwardingRepository;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A write that was committed although the store reported it failed (a connection dying on the reply): the committer
 * reads back what landed, goes on without running a hook again, and, in a store whose batches are all or nothing,
 * takes the history entries as written once a record of the same write is found stored, instead of looking each one
 * up by id (a scan in a store that keys history by pipeline).
 */
class WriteThatLandedDespiteItsErrorTest {
    static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    /** Counts its runs per pipeline. */
    @Step(name = "Counted")
    public static class Counted implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            RUNS.computeIfAbsent(ctx.pipelineId() + "/" + ctx.stepName(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Step(name = "AlsoCounted")
    public static class AlsoCounted extends Counted {
    }

    @Pipeline(name = "TwoCountedSteps", steps = {Counted.class, AlsoCounted.class})
    public static class TwoCountedSteps {
    }

    /** Commits every update, then reports the first {@code failures} of them failed; counts lookups of history. */
    static final class LosingReplies extends ForwardingRepository {
        final AtomicInteger failures;
        final AtomicInteger reported = new AtomicInteger();
        final AtomicInteger historyLookups = new AtomicInteger();
        private final boolean atomic;

        LosingReplies(int failures, boolean atomic) {
            this.failures = new AtomicInteger(failures);
            this.atomic = atomic;
        }

        @Override
        public List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
            List<StoredRecord> stored = super.updateAll(records);
            if (failures.getAndDecrement() > 0) {
                reported.incrementAndGet();
                throw new RepositoryException("updateAll of " + records.size() + " records failed (test: the reply"
                        + " was lost, the write was committed)");
            }
            return stored;
        }

        @Override
        public <R extends StoredRecord> Optional<R> get(Model<R> model, UUID id) {
            if (model == Model.HISTORY) {
                historyLookups.incrementAndGet();
            }
            return super.get(model, id);
        }

        @Override
        public boolean atomicBatches() {
            return atomic;
        }
    }

    @Test
    @Timeout(60)
    void anAtomicStoreIsTrustedForTheHistoryOfAWriteItFoundLanded() throws Exception {
        LosingReplies store = new LosingReplies(2, true);
        runTen(store);
        assertThat(store.historyLookups.get()).as("history entries looked up by id").isZero();
    }

    @Test
    @Timeout(60)
    void aStoreWithoutAtomicBatchesHasEachHistoryEntryLookedUp() throws Exception {
        LosingReplies store = new LosingReplies(2, false);
        runTen(store);
        assertThat(store.historyLookups.get()).as("history entries looked up by id").isPositive();
    }

    /** Ten pipelines run to the end through the lost replies; no hook runs twice. */
    private static void runTen(LosingReplies store) throws InterruptedException {
        RUNS.clear();
        try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(store)
                .register(TwoCountedSteps.class).build())) {
            for (int i = 0; i < 10; i++) {
                orchestrator.start(TwoCountedSteps.class);
            }
            assertThat(orchestrator.awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(store.reported.get()).as("writes reported failed after they were committed").isEqualTo(2);
        assertThat(store.search(Model.PIPELINE, SearchFilter.all().where(SearchField.STATUS, Status.FINISHED)))
                .hasSize(10);
        assertThat(RUNS).hasSize(20).allSatisfy((step, runs) -> assertThat(runs.get()).as(step).isEqualTo(1));
        assertThat(store.search(Model.HISTORY, SearchFilter.all())).isNotEmpty();
    }
}
