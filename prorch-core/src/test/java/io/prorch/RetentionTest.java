package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.test.ForwardingRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Ended pipelines older than the retention are purged with everything of theirs, in bounded batches. */
class RetentionTest {
    /** Finishes at once. */
    @Step(name = "Quick")
    public static class Quick implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    /** Waits for ever. */
    @Step(name = "Slow")
    public static class Slow implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            ctx.continueAfter(Duration.ofDays(365));
        }
    }

    @Pipeline(name = "QuickJob", steps = Quick.class)
    public static class QuickJob {
    }

    @Pipeline(name = "SlowJob", steps = Slow.class)
    public static class SlowJob {
    }

    private final SettableClock clock = new SettableClock();
    private final InMemoryRepository repository = InMemoryRepository.create();

    private Orchestrator orchestrator(io.prorch.repository.IRepository store, Duration retention) {
        OrchestratorConfig.Builder builder = OrchestratorConfig.builder().repository(store)
                .register(QuickJob.class, SlowJob.class).clock(clock);
        return new Orchestrator(retention == null ? builder.build() : builder.retention(retention).build());
    }

    @Test
    void purgesEndedPipelinesOlderThanTheRetentionAndNothingElse() throws Exception {
        try (Orchestrator orchestrator = orchestrator(repository, Duration.ofDays(7))) {
            List<UUID> old = List.of(orchestrator.start(QuickJob.class), orchestrator.start(QuickJob.class));
            UUID waiting = orchestrator.start(SlowJob.class);
            orchestrator.awaitIdle(Duration.ofSeconds(10));
            clock.advance(Duration.ofDays(8));
            UUID recent = orchestrator.start(QuickJob.class);
            orchestrator.awaitIdle(Duration.ofSeconds(10));

            assertThat(orchestrator.purgeEnded()).isEqualTo(2);

            for (UUID id : old) {
                assertThat(orchestrator.find(id)).isEmpty();
                assertThat(orchestrator.history(id)).isEmpty();
            }
            assertThat(orchestrator.find(waiting)).isPresent();
            assertThat(orchestrator.history(recent)).isNotEmpty();
            assertThat(repository.size(Model.STEP)).isEqualTo(2);
            assertThat(orchestrator.purgeEnded()).isZero();

            // passes purge on their own
            clock.advance(Duration.ofDays(8));
            orchestrator.executePipelines();
            assertThat(orchestrator.find(recent)).isEmpty();
            assertThat(orchestrator.find(waiting)).isPresent();
            assertThat(repository.size(Model.PIPELINE)).isEqualTo(1);
        }
    }

    @Test
    void purgesInBoundedBatches() throws Exception {
        try (Orchestrator orchestrator = orchestrator(repository, Duration.ofMinutes(1))) {
            for (int i = 0; i < 510; i++) {
                orchestrator.start(QuickJob.class);
            }
            orchestrator.awaitIdle(Duration.ofSeconds(30));
            clock.advance(Duration.ofMinutes(2));

            assertThat(orchestrator.purgeEnded()).isEqualTo(500);
            assertThat(orchestrator.purgeEnded()).isEqualTo(10);
            assertThat(repository.size(Model.HISTORY)).isZero();
        }
    }

    @Test
    void isOffByDefaultAndSaysHowToTurnItOn() {
        try (Orchestrator orchestrator = orchestrator(repository, null)) {
            assertThat(orchestrator.config().retention()).isNull();
            assertThatThrownBy(orchestrator::purgeEnded).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("retention(");
        }
        assertThatThrownBy(() -> OrchestratorConfig.builder().retention(Duration.ofSeconds(59)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> OrchestratorConfig.builder().retention(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void aStoreThatCannotDeleteKeepsEverythingAndPassesGoOn() throws Exception {
        ForwardingRepository cannotDelete = new ForwardingRepository(repository) {
            @Override
            public List<UUID> purge(Collection<UUID> pipelineIds, Instant endedBefore) {
                throw new UnsupportedOperationException("no delete here");
            }
        };
        try (Orchestrator orchestrator = orchestrator(cannotDelete, Duration.ofMinutes(1))) {
            UUID id = orchestrator.start(QuickJob.class);
            orchestrator.awaitIdle(Duration.ofSeconds(10));
            clock.advance(Duration.ofMinutes(2));

            orchestrator.executePipelines();

            assertThat(orchestrator.find(id)).isPresent();
            assertThatThrownBy(orchestrator::purgeEnded).isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
