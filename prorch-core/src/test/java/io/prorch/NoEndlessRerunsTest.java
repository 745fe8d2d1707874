package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.repository.RecordRejectedException;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.test.ForwardingRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hook whose result can never be saved does not run without end: oversized metadata and writes the store refuses
 * count as failed attempts, and an orchestrator never takes its own pipelines over.
 */
class NoEndlessRerunsTest {
    static final AtomicInteger CALLS = new AtomicInteger();
    static final AtomicBoolean POISON = new AtomicBoolean();

    /** Leaves 2,000 characters of metadata, over the test's limit of 1,000 bytes. */
    @Step(name = "Hoarder", maxAttempts = 3, initialBackoffMillis = 1000)
    public static class Hoarder implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            CALLS.incrementAndGet();
            ctx.metadata().put("blob", "x".repeat(2000));
        }
    }

    /** Leaves metadata the store below refuses while POISON is set. */
    @Step(name = "Poisoner", maxAttempts = 3, initialBackoffMillis = 1000)
    public static class Poisoner implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            CALLS.incrementAndGet();
            ctx.metadata().put("poison", POISON.get());
        }
    }

    /** Leaves metadata whose every save fails for a passing reason while FLAKY is set. */
    @Step(name = "Unlucky", maxAttempts = 3, initialBackoffMillis = 1000)
    public static class Unlucky implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            CALLS.incrementAndGet();
            ctx.metadata().put("unlucky", true);
        }
    }

    @Pipeline(name = "Unlucking", steps = Unlucky.class)
    public static class Unlucking {
    }

    /** Slower than the claim: its claim runs out while it runs. */
    @Step(name = "Sleeper")
    public static class Sleeper implements OnStart {
        @Override
        public void onStart(StepContext ctx) throws InterruptedException {
            CALLS.incrementAndGet();
            Thread.sleep(700);
        }
    }

    @Pipeline(name = "Hoarding", steps = Hoarder.class)
    public static class Hoarding {
    }

    @Pipeline(name = "Poisoning", steps = Poisoner.class)
    public static class Poisoning {
    }

    @Pipeline(name = "Sleeping", steps = Sleeper.class)
    public static class Sleeping {
    }

    /** Refuses any step record holding {@code poison = true}, as a database refuses a value it cannot store. */
    static final class RefusingStore extends ForwardingRepository {
        final AtomicInteger refusals = new AtomicInteger();
        /** The next write waits this long first (a pool with no connection free), then writes are fast again. */
        final AtomicLong stallNextWriteMillis = new AtomicLong();

        @Override
        public List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
            for (StoredRecord r : records) {
                if (r instanceof StepRecord s && Boolean.TRUE.equals(s.metadata().get("poison"))) {
                    refusals.incrementAndGet();
                    throw new RecordRejectedException("step " + s.id() + ": value \"poison\" is not storable");
                }
                if (r instanceof StepRecord s && Boolean.TRUE.equals(s.metadata().get("unlucky"))) {
                    throw new io.prorch.repository.RepositoryException("updateAll of step " + s.id()
                            + " failed: connection reset");
                }
            }
            long stall = stallNextWriteMillis.getAndSet(0);
            if (stall > 0) {
                try {
                    Thread.sleep(stall);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.updateAll(records);
        }
    }

    private final SettableClock clock = new SettableClock();
    private final RefusingStore store = new RefusingStore();
    private Orchestrator orchestrator;

    @AfterEach
    void close() {
        if (orchestrator != null) {
            orchestrator.close();
        }
        CALLS.set(0);
        POISON.set(false);
    }

    private Orchestrator orchestrator(OrchestratorConfig.Builder config) {
        orchestrator = new Orchestrator(config.repository(store).register(Hoarding.class, Poisoning.class,
                Sleeping.class, Unlucking.class).build());
        return orchestrator;
    }

    /** Runs passes, a second apart, until the pipeline ended or 20 passes went by. */
    private PipelineView runToEnd(UUID id) throws InterruptedException {
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        for (int pass = 0; pass < 20 && !orchestrator.find(id).orElseThrow().status().isTerminal(); pass++) {
            clock.advance(Duration.ofSeconds(10));
            orchestrator.executePipelines();
        }
        return orchestrator.find(id).orElseThrow();
    }

    @Test
    void metadataOverTheLimitFailsTheStepAfterItsAttemptsNamingTheSizeAndTheLimit() throws Exception {
        orchestrator(OrchestratorConfig.builder().clock(clock).maxMetadataBytes(1000));

        PipelineView view = runToEnd(orchestrator.start(Hoarding.class));

        assertThat(view.status()).isEqualTo(Status.FAILED);
        assertThat(CALLS.get()).isEqualTo(3);
        StepView step = view.steps().get(0);
        assertThat(step.attempts()).isEqualTo(3);
        assertThat(step.metadata()).isEmpty();
        assertThat(step.lastError()).contains("step \"Hoarder\" left 2011 bytes of step metadata")
                .contains("over the limit of 1000 bytes (maxMetadataBytes)");
        assertThat(view.lastError()).contains("failed after 3 attempts").contains("maxMetadataBytes");
    }

    @Test
    void aWriteTheStoreRefusesCountsAsAnAttemptAndTheStepFailsInsteadOfLooping() throws Exception {
        orchestrator(OrchestratorConfig.builder().clock(clock));
        POISON.set(true);

        PipelineView view = runToEnd(orchestrator.start(Poisoning.class));

        assertThat(view.status()).isEqualTo(Status.FAILED);
        assertThat(CALLS.get()).isEqualTo(3);
        assertThat(store.refusals.get()).isEqualTo(3);
        assertThat(view.steps().get(0).lastError()).contains("RecordRejectedException")
                .contains("value \"poison\" is not storable");
    }

    @Test
    void aRefusedWriteThatTheRetrySavesGoesOn() throws Exception {
        orchestrator(OrchestratorConfig.builder().clock(clock));
        POISON.set(true);
        UUID id = orchestrator.start(Poisoning.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        POISON.set(false);

        PipelineView view = runToEnd(id);

        assertThat(view.status()).isEqualTo(Status.FINISHED);
        assertThat(view.steps().get(0).attempts()).isEqualTo(1);
        assertThat(CALLS.get()).isEqualTo(2);
    }

    @Test
    void aHookWhoseEverySaveFailsRunsAsOftenAsItsRetryPolicyAllowsThenItsStepFails() throws Exception {
        orchestrator(OrchestratorConfig.builder().clock(clock));

        PipelineView view = runToEnd(orchestrator.start(Unlucking.class));

        assertThat(view.status()).isEqualTo(Status.FAILED);
        assertThat(CALLS.get()).isEqualTo(3);
        assertThat(view.steps().get(0).lastError()).contains("3 executions of step \"Unlucky\" in a row could not"
                + " be saved").contains("connection reset");
        assertThat(view.steps().get(0).metadata()).isEmpty();
    }

    @Test
    void aStartInputOverTheLimitIsRefusedBeforeAnythingIsSaved() {
        orchestrator(OrchestratorConfig.builder().clock(clock).maxMetadataBytes(100));

        assertThatThrownBy(() -> orchestrator.start(Hoarding.class, Map.of("blob", "y".repeat(200))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Start input of pipeline \"Hoarding\" is 211 bytes as JSON, over the limit of"
                        + " 100 bytes (maxMetadataBytes)");
        assertThat(store.search(Model.PIPELINE, io.prorch.repository.SearchFilter.all())).isEmpty();
        assertThatThrownBy(() -> OrchestratorConfig.builder().maxMetadataBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMetadataBytes must be in [1, 2147483647], but was 0");
    }

    @Test
    void anOrchestratorWhoseClaimRanOutWhileItsHookRanTakesItBackInsteadOfRunningTheHookTwice() throws Exception {
        // the first write after the start waits 800 ms (a pool with no connection free): the renewal of the 300 ms
        // claim lands too late, and the polling loop claims the pipeline again while its hook is still running here
        orchestrator(OrchestratorConfig.builder().claimDuration(Duration.ofMillis(300)).storeClock(false));
        store.stallNextWriteMillis.set(800);
        UUID id = orchestrator.start(Sleeping.class);
        orchestrator.startPolling(Duration.ofMillis(20));

        Eventually.await(() -> orchestrator.find(id).orElseThrow().status() == Status.FINISHED);

        assertThat(CALLS.get()).isEqualTo(1);
    }
}
