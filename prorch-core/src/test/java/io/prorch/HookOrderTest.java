package io.prorch;

import io.prorch.test.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.InMemoryRepository;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hook order of the Python prorch, with the two deliberate improvements the README documents. */
class HookOrderTest {
    static final HookLog LOG = new HookLog();

    @Step(name = "A")
    public static class A implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            LOG.record(ctx, "onStart");
        }

        @Override
        public void onContinue(StepContext ctx) {
            LOG.record(ctx, "onContinue");
            ctx.finish();
        }
    }

    /** Finishes on its second onContinue. */
    @Step(name = "B")
    public static class B implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            LOG.record(ctx, "onStart");
        }

        @Override
        public void onContinue(StepContext ctx) {
            LOG.record(ctx, "onContinue");
            long calls = ctx.metadata().getLong("calls", 0) + 1;
            ctx.metadata().put("calls", calls);
            if (calls == 2) {
                ctx.finish();
            }
        }
    }

    /** Behaves like A under another name. */
    @Step(name = "C")
    public static class C extends A {
    }

    @Pipeline(name = "ABC", steps = {A.class, B.class, C.class})
    public static class Abc {
    }

    private final SettableClock clock = new SettableClock();
    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
            .repository(InMemoryRepository.create()).register(Abc.class).clock(clock).build());

    @AfterEach
    void close() {
        orchestrator.close();
    }

    @Test
    void startRunsFirstStepAndEntersSecondThenOnePassFinishesThePipeline() throws Exception {
        // when
        UUID id = orchestrator.start(Abc.class, Map.of("database", "orders"));
        assertThat(orchestrator.awaitIdle(Duration.ofSeconds(10))).isTrue();

        // then
        assertThat(LOG.drain()).containsExactly("A.onStart", "A.onContinue", "B.onStart", "B.onContinue");
        PipelineView afterStart = orchestrator.find(id).orElseThrow();
        assertThat(afterStart.status()).isEqualTo(Status.PENDING);
        assertThat(afterStart.currentStep()).isEqualTo(1);
        assertThat(afterStart.steps()).extracting(StepView::status)
                .containsExactly(Status.FINISHED, Status.PENDING, Status.CREATED);

        // when
        clock.advance(Duration.ofSeconds(1));
        PassSummary pass = orchestrator.executePipelines();

        // then
        assertThat(LOG.drain()).containsExactly("B.onContinue", "C.onStart", "C.onContinue");
        assertThat(pass.claimed()).isEqualTo(1);
        assertThat(pass.finished()).isEqualTo(1);
        assertThat(pass.advanced()).isEqualTo(1);
        PipelineView done = orchestrator.find(id).orElseThrow();
        assertThat(done.status()).isEqualTo(Status.FINISHED);
        assertThat(done.steps()).extracting(StepView::status).containsOnly(Status.FINISHED);
        assertThat(done.metadata()).containsEntry("database", "orders");
        assertThat(done.dueAt()).isNull();
        assertThat(done.claimOwner()).isNull();

        // and a further pass has nothing to do
        clock.advance(Duration.ofSeconds(1));
        assertThat(orchestrator.executePipelines().claimed()).isZero();
        assertThat(LOG.drain()).isEmpty();
    }
}
