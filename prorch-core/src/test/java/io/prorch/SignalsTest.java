package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.SignalRecord;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A step waits for a signal sent from outside: woken at once, read exactly once, given up at its deadline. */
class SignalsTest {
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    /** The approval step: waits up to 3 days for "approved". */
    @Step(name = "AwaitApproval", maxAttempts = 2, initialBackoffMillis = 1000)
    public static class AwaitApproval implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            ctx.awaitSignal("approved", Duration.ofDays(3));
        }

        @Override
        public void onContinue(StepContext ctx) {
            if (ctx.pipelineMetadata().getBoolean("explode", false) && ctx.attempt() == 1) {
                ctx.signal("approved");
                throw new IllegalStateException("after taking the signal");
            }
            ctx.signal("approved").ifPresentOrElse(s -> {
                SEEN.add(String.valueOf(s.payload().get("by")));
                ctx.metadata().put("by", s.payload().get("by"));
                ctx.finish();
            }, () -> {
                if (ctx.signalTimedOut("approved")) {
                    ctx.fail("no approval within 3 days");
                }
            });
        }
    }

    /** Waits an hour before the approval step, so that a signal can arrive before the step waits for it. */
    @Step(name = "Prepare")
    public static class Prepare implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            if (ctx.metadata().getBoolean("slept", false)) {
                ctx.finish();
            } else {
                ctx.metadata().put("slept", true);
                ctx.continueAfter(Duration.ofHours(1));
            }
        }
    }

    @Pipeline(name = "Approval", steps = AwaitApproval.class)
    public static class Approval {
    }

    @Pipeline(name = "PreparedApproval", steps = {Prepare.class, AwaitApproval.class})
    public static class PreparedApproval {
    }

    private final SettableClock clock = new SettableClock();
    private final InMemoryRepository repository = InMemoryRepository.create();
    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
            .register(Approval.class, PreparedApproval.class).clock(clock).build());

    @AfterEach
    void close() {
        orchestrator.close();
        SEEN.clear();
    }

    private UUID startWaiting(Class<?> pipeline, Map<String, ?> input) throws InterruptedException {
        UUID id = orchestrator.start(pipeline, input);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        return id;
    }

    private List<SignalRecord> pending(UUID id) {
        return repository.search(Model.SIGNAL, SearchFilter.all().where(SearchField.PIPELINE_ID, id)
                .where(SearchField.STATUS, Status.PENDING));
    }

    @Test
    void aSignalWakesTheWaitingStepAtOnceWhileTheOrchestratorPolls() throws Exception {
        UUID id = startWaiting(Approval.class, Map.of());
        assertThat(orchestrator.find(id).orElseThrow().dueAt()).isEqualTo(clock.instant().plus(Duration.ofDays(3))
                .truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        orchestrator.startPolling(Duration.ofHours(1));   // the first poll runs now; the next only in an hour
        Thread.sleep(50);

        orchestrator.signal(id, "approved", Map.of("by", "alice"));
        PipelineView done = orchestrator.awaitCompletion(id, Duration.ofSeconds(10));

        assertThat(done.status()).isEqualTo(Status.FINISHED);
        assertThat(done.steps().get(0).metadata()).containsEntry("by", "alice");
        assertThat(SEEN).containsExactly("alice");
        assertThat(pending(id)).isEmpty();
        assertThat(repository.search(Model.SIGNAL, SearchFilter.all())).singleElement()
                .satisfies(s -> assertThat(s.consumedByStep()).isZero());
    }

    @Test
    void aSignalSentBeforeTheStepWaitsIsKeptAndWakesItWhenItGetsThere() throws Exception {
        UUID id = startWaiting(PreparedApproval.class, Map.of());
        orchestrator.signal(id, "approved", Map.of("by", "bob"));   // Prepare is still sleeping
        assertThat(orchestrator.find(id).orElseThrow().currentStep()).isZero();

        clock.advance(Duration.ofHours(1));
        orchestrator.executePipelines();   // Prepare finishes; AwaitApproval waits, finds the signal, is due at once
        clock.advance(Duration.ofMillis(1));
        orchestrator.executePipelines();

        assertThat(orchestrator.find(id).orElseThrow().status()).isEqualTo(Status.FINISHED);
        assertThat(SEEN).containsExactly("bob");
    }

    @Test
    void aStepThatWaitedTooLongIsToldSoAndAnUnrelatedWakeKeepsItWaiting() throws Exception {
        UUID id = startWaiting(Approval.class, Map.of());
        orchestrator.signal(id, "unrelated", Map.of());
        assertThat(orchestrator.find(id).orElseThrow().dueAt()).as("a signal the step does not wait for wakes nothing")
                .isAfter(clock.instant().plus(Duration.ofDays(2)));
        orchestrator.signal(id, "approved", Map.of("by", "frank"));
        clock.advance(Duration.ofMillis(1));
        orchestrator.executePipelines();
        assertThat(orchestrator.find(id).orElseThrow().status()).isEqualTo(Status.FINISHED);

        id = startWaiting(Approval.class, Map.of());
        repository.update(repository.get(io.prorch.repository.Model.PIPELINE, id).orElseThrow()
                .withDueAt(clock.instant()));   // woken for no reason (an operator, a lost race)
        clock.advance(Duration.ofMillis(1));
        orchestrator.executePipelines();
        PipelineView stillWaiting = orchestrator.find(id).orElseThrow();
        assertThat(stillWaiting.status()).isEqualTo(Status.PENDING);
        assertThat(stillWaiting.dueAt()).as("back to sleep until the deadline, not polled every pass")
                .isAfter(clock.instant().plus(Duration.ofDays(2)));

        clock.advance(Duration.ofDays(3));
        orchestrator.executePipelines();

        PipelineView timedOut = orchestrator.find(id).orElseThrow();
        assertThat(timedOut.status()).isEqualTo(Status.FAILED);
        assertThat(timedOut.lastError()).contains("no approval within 3 days");
        assertThat(pending(id)).isEmpty();
    }

    @Test
    void eachSignalIsReadOnceAndOneTakenByAHookThatThrewStaysForTheRetry() throws Exception {
        UUID id = startWaiting(Approval.class, Map.of("explode", true));
        orchestrator.signal(id, "approved", Map.of("by", "carol"));
        clock.advance(Duration.ofMillis(1));
        orchestrator.signal(id, "approved", Map.of("by", "dave"));
        clock.advance(Duration.ofMillis(1));
        orchestrator.executePipelines();   // attempt 1 takes carol's signal and throws: nothing consumed
        assertThat(pending(id)).hasSize(2);

        clock.advance(Duration.ofSeconds(2));
        orchestrator.executePipelines();

        assertThat(orchestrator.find(id).orElseThrow().status()).isEqualTo(Status.FINISHED);
        assertThat(SEEN).containsExactly("carol");
        assertThat(pending(id)).extracting(s -> s.payload().get("by")).containsExactly("dave");
    }

    @Test
    void aSignalFindsItsPipelineByTheKeyItWasStartedWithAndIsStoredOncePerSendersKey() throws Exception {
        UUID id = orchestrator.starter(PreparedApproval.class).idempotencyKey("order-42").start();
        orchestrator.awaitIdle(Duration.ofSeconds(10));

        UUID first = orchestrator.signaller(SignalTarget.key("order-42")).name("approved")
                .payload(Map.of("by", "erin")).key("delivery-7").send();
        UUID again = orchestrator.signaller(SignalTarget.key("order-42")).name("approved")
                .payload(Map.of("by", "erin")).key("delivery-7").send();

        assertThat(again).isEqualTo(first);
        assertThat(pending(id)).singleElement().extracting(SignalRecord::id).isEqualTo(first);
    }

    @Test
    void badSignalsGetClearAnswersAndStoreNothing() throws Exception {
        UUID id = startWaiting(Approval.class, Map.of());

        assertThatThrownBy(() -> orchestrator.signal(UUID.randomUUID(), "approved", Map.of()))
                .isInstanceOf(PipelineNotFoundException.class).hasMessageContaining("No pipeline with id");
        assertThatThrownBy(() -> orchestrator.signal(SignalTarget.key("nope"), "approved", Map.of()))
                .isInstanceOf(PipelineNotFoundException.class)
                .hasMessageContaining("No pipeline was started with key \"nope\"; signal \"approved\" was not stored");
        assertThatThrownBy(() -> orchestrator.signal(id, " ", Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("signal name must be 1 to 200 non-blank characters");
        assertThatThrownBy(() -> orchestrator.signal(id, "x".repeat(201), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(201 chars)");
        assertThatThrownBy(() -> orchestrator.signal(id, "approved", Map.of("when", new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("when");
        assertThatThrownBy(() -> orchestrator.signaller(SignalTarget.id(id)).send())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a name");
        assertThatThrownBy(() -> orchestrator.signal((UUID) null, "approved", Map.of()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SignalTarget(null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(pending(id)).isEmpty();
        UUID sent = orchestrator.signaller(SignalTarget.id(id)).name("note").key("k-1").send();

        orchestrator.cancel(id, "changed our mind");
        assertThat(orchestrator.signaller(SignalTarget.id(id)).name("note").key("k-1").send())
                .as("a retried send of a stored signal still answers with its id").isEqualTo(sent);
        assertThatThrownBy(() -> orchestrator.signal(id, "approved", Map.of()))
                .isInstanceOf(PipelineEndedException.class).hasMessageContaining("is cancelled")
                .satisfies(e -> assertThat(((PipelineEndedException) e).status()).isEqualTo(Status.CANCELLED));
        assertThat(repository.size(Model.SIGNAL)).isOne();
    }
}
