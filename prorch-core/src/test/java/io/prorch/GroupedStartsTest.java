package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.test.ForwardingRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starts from many threads share commits: those arriving while a start is being written go in the next write. */
class GroupedStartsTest {
    private final InMemoryRepository memory = InMemoryRepository.create();
    private final CountingStore store = new CountingStore();
    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(store)
            .register(DecisionTest.Simple.class).build());

    @AfterEach
    void close() {
        store.gate.countDown();
        orchestrator.close();
    }

    @Test
    @Timeout(30)
    void fourConcurrentStartsTakeTwoWritesAndAllRun() throws Exception {
        List<UUID> ids = Collections.synchronizedList(new ArrayList<>());
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            callers.add(new Thread(() -> ids.add(orchestrator.start(DecisionTest.Simple.class, Map.of("n", n)))));
        }

        // when: the first start's write is held until the three others wait for the next write
        callers.get(0).start();
        assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();
        callers.subList(1, 4).forEach(Thread::start);
        Eventually.await(() -> callers.subList(1, 4).stream().allMatch(GroupedStartsTest::waitsForAGroupWrite));
        store.gate.countDown();
        for (Thread caller : callers) {
            caller.join(10_000);
        }

        // then: one write for the first start, one for the three others, and each pipeline is stored and runs
        assertThat(store.startWrites).containsExactly(1, 3);
        assertThat(ids).hasSize(4).doesNotHaveDuplicates();
        assertThat(orchestrator.awaitIdle(Duration.ofSeconds(10))).isTrue();
        ids.forEach(id -> assertThat(memory.get(Model.PIPELINE, id)).isPresent());
    }

    private static boolean waitsForAGroupWrite(Thread caller) {
        return caller.getState() == Thread.State.WAITING && Arrays.stream(caller.getStackTrace())
                .anyMatch(frame -> frame.getClassName().endsWith(".StartGroups"));
    }

    /** Counts the pipelines of each saveAll that saves new pipelines, and holds the first one at a gate. */
    private final class CountingStore extends ForwardingRepository {
        final List<Integer> startWrites = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);

        CountingStore() {
            super(memory);
        }

        @Override
        public List<StoredRecord> saveAll(List<? extends StoredRecord> records) {
            long pipelines = records.stream().filter(PipelineRecord.class::isInstance).count();
            if (pipelines > 0) {
                startWrites.add((int) pipelines);
                if (entered.getCount() > 0) {
                    entered.countDown();
                    try {
                        gate.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return super.saveAll(records);
        }
    }
}
