package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.PipelineRecord;
import io.prorch.test.SettableClock;
import io.prorch.test.TestOrchestrator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Limits on queues, in one orchestrator on the test clock: what holds a slot, priorities, and bad configuration. */
class LimitTest {
    static final List<String> ENTERED = Collections.synchronizedList(new ArrayList<>());

    @Step(name = "Work")
    public static class Work implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ENTERED.add(ctx.pipelineMetadata().getString("label"));
            ctx.finish();
        }
    }

    @Step(name = "Nap")
    public static class Nap implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            ENTERED.add(ctx.pipelineMetadata().getString("label"));
            ctx.continueAfter(Duration.ofHours(1));
        }

        @Override
        public void onContinue(StepContext ctx) {
            ctx.finish();
        }
    }

    @Pipeline(name = "Job", steps = Work.class)
    public static class Job {
    }

    @Pipeline(name = "Sleeper", steps = Nap.class)
    public static class Sleeper {
    }

    private TestOrchestrator orchestrator;

    @AfterEach
    void close() {
        if (orchestrator != null) {
            orchestrator.close();
        }
        ENTERED.clear();
    }

    private TestOrchestrator create(Limit limit) {
        orchestrator = TestOrchestrator.create(c -> c.register(Job.class, Sleeper.class).limit(limit));
        return orchestrator;
    }

    @Test
    void aLimitedStartWaitsForTheClaimAndAWaitingPipelineHoldsNoSlot() {
        create(Limit.queue("one").pipelines(Job.class, Sleeper.class).maxRunning(1));
        UUID sleeper = orchestrator.start(Sleeper.class, Map.of("label", "sleeper"));
        assertThat(orchestrator.find(sleeper).orElseThrow().status()).isEqualTo(Status.PENDING);
        assertThat(ENTERED).as("a limited start is saved unclaimed; a pass runs it").isEmpty();

        orchestrator.runUntilIdle();
        UUID job = orchestrator.start(Job.class, Map.of("label", "job"));
        orchestrator.runUntilIdle();

        assertThat(ENTERED).containsExactly("sleeper", "job");
        assertThat(orchestrator.find(job).orElseThrow().status()).isEqualTo(Status.FINISHED);
        assertThat(orchestrator.find(sleeper).orElseThrow().status()).isEqualTo(Status.PENDING);
        assertThat(orchestrator.runUntilDone(sleeper).status()).isEqualTo(Status.FINISHED);
    }

    @Test
    void aQueueRunsItsHighestPriorityFirst() {
        create(Limit.pipeline(Job.class).maxRunning(1));
        for (int priority : new int[] {0, 7, -3, 7, 2}) {
            orchestrator.orchestrator().starter(Job.class).input(Map.of("label", "p" + priority))
                    .priority(priority).start();
            orchestrator.clock().advance(Duration.ofMillis(1));
        }
        orchestrator.runUntilIdle();

        assertThat(ENTERED).containsExactly("p7", "p7", "p2", "p0", "p-3");
    }

    @Test
    void anIdempotentLimitedStartReturnsTheFirstPipeline() {
        create(Limit.pipeline(Job.class).perSecond(1));
        UUID first = orchestrator.orchestrator().starter(Job.class).idempotencyKey("k").start();
        assertThat(orchestrator.orchestrator().starter(Job.class).idempotencyKey("k").start()).isEqualTo(first);
        assertThat(orchestrator.find(first).orElseThrow().metadata()).doesNotContainKey(PipelineRecord.PRIORITY_KEY);
    }

    @Test
    void badLimitsFailTheConfiguration() {
        SettableClock clock = new SettableClock(Instant.EPOCH);
        assertThatThrownBy(() -> OrchestratorConfig.builder().repository(InMemoryRepository.create()).clock(clock)
                .register(Job.class, Sleeper.class)
                .limit(Limit.queue("a").pipelines(Job.class).maxRunning(2))
                .limit(Limit.queue("b").pipelines("Job", "Nope").maxRunning(2))
                .limit(Limit.queue("c").pipelines(Sleeper.class))
                .limit(Limit.queue("d").maxRunning(1))
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("pipeline \"Job\" is in two queues (\"a\", \"b\")")
                .hasMessageContaining("pipeline \"Nope\" is not registered")
                .hasMessageContaining("queue \"c\": sets no limit; give maxRunning(n), perSecond(rate) or both")
                .hasMessageContaining("queue \"d\" maxRunning=1: names no pipeline");
        assertThatThrownBy(() -> Limit.queue("a b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue name must be 1 to 200 letters");
        assertThatThrownBy(() -> Limit.queue(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Limit.pipeline(Job.class).maxRunning(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRunning must be in [1, 100000], but was 0");
        assertThatThrownBy(() -> Limit.pipeline(Job.class).perSecond(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perSecond must be in");
        assertThatThrownBy(() -> Limit.pipeline(Job.class).perSecond(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limit.pipeline(Job.class).pipelines((String) null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> OrchestratorConfig.builder().limit(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void priorityIsCheckedAtOnce() {
        create(Limit.pipeline(Job.class).maxRunning(1));
        assertThatThrownBy(() -> orchestrator.orchestrator().starter(Job.class).priority(1_000_001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("priority must be in [-1000000, 1000000], but was 1000001");
    }
}
