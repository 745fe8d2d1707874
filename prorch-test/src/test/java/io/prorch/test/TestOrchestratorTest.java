package io.prorch.test;

import static io.prorch.test.ProrchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.OnContinue;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PassSummary;
import io.prorch.Pipeline;
import io.prorch.PipelineNotFoundException;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.InMemoryRepository;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** runUntilIdle and runUntilDone drive pipelines that wait for time, without sleeping. */
class TestOrchestratorTest {

    /** Waits an hour for its dump, then finishes. */
    @Step(name = "BackupGeneration")
    public static class BackupGeneration implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            if (!ctx.metadata().contains("readyAt")) {
                ctx.metadata().put("readyAt", ctx.now().plus(Duration.ofHours(1)).toString());
                ctx.continueAfter(Duration.ofHours(1));
            } else if (!ctx.now().isBefore(Instant.parse(ctx.metadata().getString("readyAt")))) {
                ctx.finish();
            }
        }
    }

    /** Fails twice (retried after a backoff), then finishes. */
    @Step(name = "BackupTransfer")
    public static class BackupTransfer implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) throws IOException {
            if (ctx.attempt() <= 2) {
                throw new IOException("network down (attempt " + ctx.attempt() + ")");
            }
            ctx.pipelineMetadata().put("transferred", true);
            ctx.finish();
        }
    }

    /** Never decides: asks to be continued a minute later, for ever. */
    @Step(name = "Forever")
    public static class Forever implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            ctx.continueAfter(Duration.ofMinutes(1));
        }
    }

    @Pipeline(name = "BackupPipeline", steps = {BackupGeneration.class, BackupTransfer.class})
    public static class BackupPipeline {
    }

    @Pipeline(name = "RestlessPipeline", steps = Forever.class)
    public static class RestlessPipeline {
    }

    private final TestOrchestrator prorch = TestOrchestrator.create(
            config -> config.register(BackupPipeline.class, RestlessPipeline.class));

    @AfterEach
    void close() {
        prorch.close();
    }

    @Test
    @Timeout(10)
    void runUntilDoneWaitsOutAnHourAndTwoRetriesInWellUnderASecond() {
        Instant start = prorch.clock().instant();
        UUID id = prorch.start(BackupPipeline.class, Map.of("database", "orders"));
        long began = System.nanoTime();

        // when
        PipelineView done = prorch.runUntilDone(id);

        // then
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(1));
        assertThat(done).isFinished().hasMetadataEntry("database", "orders").hasMetadataEntry("transferred", true);
        assertThat(done).step("BackupTransfer").isFinished().hasAttempts(2);
        assertThat(Duration.between(start, prorch.clock().instant())).isGreaterThanOrEqualTo(Duration.ofHours(1));
    }

    @Test
    void runUntilIdleLeavesTheClockAloneAndStopsWhenNothingIsDue() {
        UUID id = prorch.start(BackupPipeline.class);

        // when
        List<PassSummary> passes = prorch.runUntilIdle();

        // then the first step ran at start and waits for its hour; no pass found anything due
        assertThat(passes).isEmpty();
        assertThat(prorch.find(id)).isPending().step("BackupGeneration").isPending();

        // when an hour passes
        prorch.clock().advance(Duration.ofHours(1));
        prorch.runUntilIdle();

        // then the transfer failed once and waits for its backoff
        assertThat(prorch.find(id)).isPending().step("BackupTransfer").hasAttempts(1)
                .hasLastErrorContaining("network down (attempt 1)");

        // when the clock follows the due times
        prorch.runUntilIdle(true);

        // then
        assertThat(prorch.find(id)).isFinished().step("BackupTransfer").hasAttempts(2);
    }

    @Test
    void runUntilIdleAdvancingDrivesEveryPipeline() {
        UUID first = prorch.start(BackupPipeline.class);
        UUID second = prorch.start(BackupPipeline.class);

        prorch.runUntilIdle(true);

        assertThat(prorch.find(first)).isFinished();
        assertThat(prorch.find(second)).isFinished();
    }

    @Test
    void aPipelineThatNeverRestsHitsTheBoundWithAMessageNamingIt() {
        UUID id = prorch.start(RestlessPipeline.class);
        prorch.maxPasses(20);

        assertThatThrownBy(() -> prorch.runUntilIdle(true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runUntilIdle(true) gave up after 20 passes")
                .hasMessageContaining("never rests")
                .hasMessageContaining("RestlessPipeline " + id + " pending at step 0 \"Forever\"")
                .hasMessageContaining("maxPasses(n)");
        assertThatThrownBy(() -> prorch.runUntilDone(id))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runUntilDone(" + id + ") gave up after 20 passes");
    }

    @Test
    void rejectsABadBoundAndAnUnknownPipeline() {
        assertThatThrownBy(() -> prorch.maxPasses(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxPasses must be positive, but was 0");
        UUID unknown = UUID.randomUUID();
        assertThatThrownBy(() -> prorch.runUntilDone(unknown))
                .isInstanceOf(PipelineNotFoundException.class).hasMessageContaining(unknown.toString());
    }

    @Test
    void wrapsAnOrchestratorOnlyIfItRunsOnTheGivenClock() {
        SettableClock clock = new SettableClock();
        OrchestratorConfig.Builder config = OrchestratorConfig.builder()
                .repository(InMemoryRepository.create()).register(BackupPipeline.class);
        try (Orchestrator onSystemClock = new Orchestrator(config.clock(Clock.systemUTC()).build());
             TestOrchestrator wrapped = new TestOrchestrator(new Orchestrator(config.clock(clock).build()), clock)) {
            assertThatThrownBy(() -> new TestOrchestrator(onSystemClock, clock))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must run on the given SettableClock")
                    .hasMessageContaining(".clock(clock)");

            UUID id = wrapped.start(BackupPipeline.class);
            assertThat(wrapped.runUntilDone(id).status()).isEqualTo(Status.FINISHED);
        }
    }
}
