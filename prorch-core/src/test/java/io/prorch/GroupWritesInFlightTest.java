package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.HistoryRecord;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.test.ForwardingRepository;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The committer writes two groups of transitions at once, so that the database executes one while the next is made,
 * and never puts a pipeline in both: its records are always made from its last committed ones.
 */
class GroupWritesInFlightTest {
    /** A step that decides at once. */
    public abstract static class Quick implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.metadata().put("ran", true);
        }
    }

    @Step(name = "First")
    public static class First extends Quick {
    }

    @Step(name = "Second")
    public static class Second extends Quick {
    }

    @Step(name = "Third")
    public static class Third extends Quick {
    }

    @Pipeline(name = "ThreeQuickSteps", steps = {First.class, Second.class, Third.class})
    public static class ThreeQuickSteps {
    }

    /** Watches the group writes: how many at once, and any pipeline written by two at once. */
    static final class WatchedStore extends ForwardingRepository {
        final Set<UUID> beingWritten = ConcurrentHashMap.newKeySet();
        final AtomicInteger atOnce = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final AtomicInteger inTwoWritesAtOnce = new AtomicInteger();

        @Override
        public List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
            Set<UUID> pipelines = records.stream().map(WatchedStore::pipelineOf).collect(Collectors.toSet());
            for (UUID id : pipelines) {
                if (!beingWritten.add(id)) {
                    inTwoWritesAtOnce.incrementAndGet();
                }
            }
            mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
            try {
                Thread.sleep(15); // a slow database: the next group is made meanwhile
                return super.updateAll(records);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                atOnce.decrementAndGet();
                beingWritten.removeAll(pipelines);
            }
        }

        private static UUID pipelineOf(StoredRecord record) {
            if (record instanceof PipelineRecord p) {
                return p.id();
            }
            if (record instanceof StepRecord s) {
                return s.pipelineId();
            }
            return ((HistoryRecord) record).pipelineId();
        }
    }

    @Test
    @Timeout(60)
    void twoGroupsAreWrittenAtOnceAndNoPipelineIsInBothWhileEveryPipelineFinishes() throws Exception {
        WatchedStore store = new WatchedStore();
        try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(store)
                .register(ThreeQuickSteps.class).workerThreads(4).build())) {
            for (int i = 0; i < 60; i++) {
                orchestrator.start(ThreeQuickSteps.class);
            }
            assertThat(orchestrator.awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
        IRepository stored = store;
        List<PipelineRecord> finished = stored.search(Model.PIPELINE,
                SearchFilter.all().where(SearchField.STATUS, Status.FINISHED));
        assertThat(finished).hasSize(60);
        assertThat(stored.search(Model.STEP, SearchFilter.all())).hasSize(180)
                .allSatisfy(step -> assertThat(step.metadata()).containsEntry("ran", true));
        assertThat(store.inTwoWritesAtOnce.get()).as("pipelines written by two writes at once").isZero();
        assertThat(store.mostAtOnce.get()).as("group writes at once").isEqualTo(2);
    }
}
