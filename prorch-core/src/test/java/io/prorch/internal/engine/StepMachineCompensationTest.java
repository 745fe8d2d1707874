package io.prorch.internal.engine;

import static io.prorch.internal.engine.StepMachineTest.CLAIM;
import static io.prorch.internal.engine.StepMachineTest.ME;
import static io.prorch.internal.engine.StepMachineTest.NOW;
import static io.prorch.internal.engine.StepMachineTest.PASS_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.prorch.OnCompensate;
import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Pipeline;
import io.prorch.RetryPolicy;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.internal.engine.Move.Next;
import io.prorch.internal.registry.DefinitionScanner;
import io.prorch.internal.registry.Definitions;
import io.prorch.internal.registry.StepDefinition;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compensation part of the state diagram ({@link Compensations}), exhaustively: how a failure, a cancel, a last
 * attempt or unsaved executions start it, every step status met on the way back, every outcome of
 * {@code onCompensate}, and the operator's moves. Pipeline S: Flight (undoable), Note (not), Hotel (undoable), Car.
 */
class StepMachineCompensationTest {

    @Step(name = "Flight", maxAttempts = 3, initialBackoffMillis = 1000)
    public static class Flight implements OnStart, OnCompensate {
        @Override
        public void onStart(StepContext ctx) {
        }

        @Override
        public void onCompensate(StepContext ctx) {
        }
    }

    @Step(name = "Note")
    public static class Note implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    @Step(name = "Hotel", maxAttempts = 3, initialBackoffMillis = 1000)
    public static class Hotel implements OnStart, OnContinue, OnCompensate {
        @Override
        public void onStart(StepContext ctx) {
        }

        @Override
        public void onContinue(StepContext ctx) {
        }

        @Override
        public void onCompensate(StepContext ctx) {
        }
    }

    @Step(name = "Car", maxAttempts = 3, initialBackoffMillis = 1000)
    public static class Car implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
        }

        @Override
        public void onContinue(StepContext ctx) {
        }
    }

    @Pipeline(name = "S", steps = {Flight.class, Note.class, Hotel.class, Car.class})
    public static class S {
    }

    static final Definitions DEFINITIONS = new DefinitionScanner(RetryPolicy.DEFAULT, Duration.ofSeconds(5), true)
            .register(List.of(S.class)).definitions();
    static final List<String> STEPS = List.of("Flight", "Note", "Hotel", "Car");
    final StepMachine machine = new StepMachine(DEFINITIONS, ME, CLAIM, 1000);

    /** Pipeline S claimed by this orchestrator, at {@code position} in {@code status}, compensating for {@code cause}. */
    static RunState state(int position, Status status, Status cause) {
        UUID id = PipelineRecord.newId();
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("in", 1L));
        if (cause != null) {
            metadata = new Compensations.Marker(cause, "Step \"Car\" failed: no cars").into(metadata);
        }
        PipelineRecord pipeline = PipelineRecord.pending(id, "S", STEPS, metadata, NOW.minusSeconds(5)).toBuilder()
                .currentStep(position).claim(ME, NOW.plusSeconds(40)).dueAt(NOW.plusSeconds(40)).version(3).build();
        StepRecord step = StepRecord.created(id, position, STEPS.get(position), NOW.minusSeconds(5))
                .withStatus(status).withAttempts(status == Status.FINISHED ? 2 : 0);
        return new RunState(pipeline, step, false, PASS_START, RunState.Unsaved.NONE);
    }

    static StepDefinition definition(String name) {
        return DEFINITIONS.step(name).orElseThrow();
    }

    static StepMachineTest.Applied apply(Move move, RunState state) {
        List<StoredRecord> records = Move.apply(List.of(move), state.pipeline(), p -> state.step());
        PipelineRecord pipeline = records.isEmpty() ? state.pipeline() : (PipelineRecord) records.get(0);
        StepRecord step = records.size() > 1 ? (StepRecord) records.get(1) : state.step();
        return new StepMachineTest.Applied(pipeline, step, records.size());
    }

    static HookResult decided(Decision decision, Map<String, Object> pipelineMeta) {
        return new HookResult(decision, decision == Decision.FAIL || decision == Decision.CANCEL ? "because" : null,
                decision == Decision.CONTINUE_AFTER ? Duration.ofMinutes(5) : null, Map.of("s", 2L), pipelineMeta,
                null);
    }

    @Nested
    class Beginning {
        static Stream<Arguments> everyWayAStepEnds() {
            return Stream.of(
                    // step position, decision, then: the cause, the step compensated first (-1: the pipeline ends)
                    arguments(3, Decision.FAIL, Status.FAILED, 2),
                    arguments(3, Decision.CANCEL, Status.CANCELLED, 2),
                    arguments(2, Decision.FAIL, Status.FAILED, 0),      // Note has nothing to undo: skipped
                    arguments(1, Decision.FAIL, Status.FAILED, 0),
                    arguments(0, Decision.FAIL, Status.FAILED, -1),     // nothing finished before it
                    arguments(0, Decision.CANCEL, Status.CANCELLED, -1));
        }

        @ParameterizedTest(name = "step {0} decided {1}: compensating from {3}")
        @MethodSource("everyWayAStepEnds")
        void aStepThatFailsOrIsCancelledStartsTheCompensationOfTheFinishedStepsBeforeIt(
                int position, Decision decision, Status cause, int compensateFrom) {
            RunState state = state(position, Status.PENDING, null);
            Hook hook = definition(STEPS.get(position)).hasOnContinue() ? Hook.ON_CONTINUE : Hook.ON_START;

            Move move = machine.afterHook(state, definition(STEPS.get(position)), hook,
                    decided(decision, Map.of("in", 1L, "p", 3L)), NOW);
            StepMachineTest.Applied after = apply(move, state);

            assertThat(after.step().status()).isEqualTo(cause);
            assertThat(after.step().lastError()).isEqualTo("because");
            if (compensateFrom < 0) {
                assertThat(after.pipeline().status()).isEqualTo(cause);
                assertThat(Compensations.of(after.pipeline())).isNull();
                assertThat(move.next()).isEqualTo(Next.END_TURN);
                return;
            }
            assertThat(after.pipeline().status()).isEqualTo(Status.PENDING);
            assertThat(after.pipeline().currentStep()).isEqualTo(compensateFrom);
            assertThat(after.pipeline().metadata()).containsEntry("p", 3L);
            Compensations.Marker marker = Compensations.of(after.pipeline());
            assertThat(marker.cause()).isEqualTo(cause);
            assertThat(marker.reason()).contains(STEPS.get(position)).contains("because");
            assertThat(after.pipeline().lastError()).isEqualTo(marker.reason() + "; compensating");
            // driven on in the same turn, under the claim it holds
            assertThat(move.next()).isEqualTo(Next.DRIVE_ON);
            assertThat(move.progress()).isTrue();
            assertThat(after.pipeline().claimOwner()).isEqualTo(ME);
        }

        @Test
        void theLastFailedAttemptAndUnsavedExecutionsStartItToo() {
            RunState last = new RunState(state(3, Status.PENDING, null).pipeline(),
                    state(3, Status.PENDING, null).step().withAttempts(2), false, PASS_START, RunState.Unsaved.NONE);
            StepMachineTest.Applied afterLast = apply(machine.afterHook(last, definition("Car"), Hook.ON_CONTINUE,
                    HookResult.threw(new IllegalStateException("boom")), NOW), last);
            RunState unsaved = new RunState(last.pipeline(), last.step().withAttempts(0), false, PASS_START,
                    new RunState.Unsaved(3, "connection reset"));
            StepMachineTest.Applied afterUnsaved = apply(((Plan.Write) machine.plan(unsaved, NOW)).move(), unsaved);

            assertThat(afterLast.step().status()).isEqualTo(Status.FAILED);
            assertThat(afterLast.step().attempts()).isEqualTo(3);
            assertThat(afterLast.pipeline().currentStep()).isEqualTo(2);
            assertThat(Compensations.of(afterLast.pipeline()).reason())
                    .isEqualTo("Step \"Car\" failed after 3 attempts: java.lang.IllegalStateException: boom");
            assertThat(afterUnsaved.step().status()).isEqualTo(Status.FAILED);
            assertThat(afterUnsaved.pipeline().currentStep()).isEqualTo(2);
            assertThat(Compensations.of(afterUnsaved.pipeline()).reason()).contains("could not be saved");
        }

        @Test
        void aStoredEndedStepWhosePipelineDidNotEndStartsItAsTheHookWouldHave() {
            for (Status ended : List.of(Status.FAILED, Status.CANCELLED)) {
                RunState torn = state(3, ended, null);

                StepMachineTest.Applied after = apply(((Plan.Write) machine.plan(torn, NOW)).move(), torn);

                assertThat(after.pipeline().currentStep()).isEqualTo(2);
                assertThat(Compensations.of(after.pipeline()).cause()).isEqualTo(ended);
            }
        }
    }

    @Nested
    class OnTheWayBack {
        static Stream<Arguments> everyStatusMet() {
            return Stream.of(
                    // position, step status, then: the hook called, or the step the pipeline moves back to
                    // (-1: the pipeline is compensated), or the status the step is entered in
                    arguments(2, Status.FINISHED, Status.PENDING),      // entered: attempts afresh, then the hook
                    arguments(2, Status.PENDING, Hook.ON_COMPENSATE),
                    arguments(2, Status.CREATED, 0),                    // never entered: nothing to undo
                    arguments(2, Status.FAILED, 0),
                    arguments(2, Status.CANCELLED, 0),
                    arguments(2, Status.COMPENSATED, 0),                // undone already (a crash after the commit)
                    arguments(1, Status.FINISHED, 0),                   // no onCompensate
                    arguments(0, Status.FINISHED, Status.PENDING),
                    arguments(0, Status.PENDING, Hook.ON_COMPENSATE),
                    arguments(0, Status.COMPENSATED, -1));
        }

        @ParameterizedTest(name = "step {0} {1}: {2}")
        @MethodSource("everyStatusMet")
        void everyStatusOfTheStepBeingCompensated(int position, Status status, Object expected) {
            for (Status cause : List.of(Status.FAILED, Status.CANCELLED)) {
                RunState state = state(position, status, cause);

                Plan plan = machine.plan(state, NOW);

                if (expected instanceof Hook hook) {
                    assertThat(plan).isEqualTo(new Plan.CallHook(definition(STEPS.get(position)), hook));
                    continue;
                }
                Move move = ((Plan.Write) plan).move();
                StepMachineTest.Applied after = apply(move, state);
                if (expected instanceof Status entered) {
                    assertThat(after.step().status()).isEqualTo(entered);
                    assertThat(after.step().attempts()).isZero();
                    assertThat(after.pipeline().currentStep()).isEqualTo(position);
                    assertThat(move.next()).isEqualTo(Next.DRIVE_ON);
                } else if ((int) expected >= 0) {
                    assertThat(after.step()).isEqualTo(state.step());
                    assertThat(after.pipeline().currentStep()).isEqualTo(expected);
                    assertThat(after.pipeline().status()).isEqualTo(Status.PENDING);
                    assertThat(move.next()).isEqualTo(Next.DRIVE_ON);
                    assertThat(after.pipeline().claimOwner()).isEqualTo(ME);
                } else {
                    assertCompensated(move, after, cause);
                }
            }
        }

        @ParameterizedTest
        @EnumSource(value = Decision.class, names = {"NONE", "FINISH"})
        void aCompensationThatReturnsUndoesTheStepAndMovesBack(Decision decision) {
            RunState hotel = state(2, Status.PENDING, Status.FAILED);
            RunState flight = state(0, Status.PENDING, Status.CANCELLED);

            Move fromHotel = machine.afterHook(hotel, definition("Hotel"), Hook.ON_COMPENSATE,
                    decided(decision, Map.of("in", 1L)), NOW);   // the hook dropped the marker: it is kept
            StepMachineTest.Applied afterHotel = apply(fromHotel, hotel);
            Move fromFlight = machine.afterHook(flight, definition("Flight"), Hook.ON_COMPENSATE,
                    decided(decision, flight.pipeline().metadata()), NOW);

            assertThat(afterHotel.step().status()).isEqualTo(Status.COMPENSATED);
            assertThat(afterHotel.step().metadata()).isEqualTo(Map.of("s", 2L));
            assertThat(afterHotel.pipeline().currentStep()).isZero();
            assertThat(Compensations.of(afterHotel.pipeline())).isEqualTo(Compensations.of(hotel.pipeline()));
            assertThat(fromHotel.next()).isEqualTo(Next.DRIVE_ON);
            StepMachineTest.Applied afterFlight = apply(fromFlight, flight);
            assertThat(afterFlight.step().status()).isEqualTo(Status.COMPENSATED);
            assertCompensated(fromFlight, afterFlight, Status.CANCELLED);
        }

        private static void assertCompensated(Move move, StepMachineTest.Applied after, Status cause) {
            assertThat(after.pipeline().status()).isEqualTo(Status.COMPENSATED);
            assertThat(after.pipeline().metadata()).doesNotContainKey(Compensations.KEY);
            assertThat(after.pipeline().lastError()).isEqualTo("Step \"Car\" failed: no cars; compensated");
            assertThat(after.pipeline().claimOwner()).isNull();
            assertThat(after.pipeline().dueAt()).isNull();
            assertThat(move.next()).isEqualTo(Next.END_TURN);
            // a pass counts it with what caused it
            assertThat(move.outcome()).isEqualTo(cause == Status.CANCELLED ? Outcome.CANCELLED : Outcome.FAILED);
        }

        @ParameterizedTest
        @EnumSource(value = Decision.class, names = {"FAIL", "CANCEL"})
        void aCompensationThatFailsEndsTheStepAndThePipelineFailedKeepingTheMarker(Decision decision) {
            RunState hotel = state(2, Status.PENDING, Status.FAILED);

            Move move = machine.afterHook(hotel, definition("Hotel"), Hook.ON_COMPENSATE,
                    decided(decision, hotel.pipeline().metadata()), NOW);
            StepMachineTest.Applied after = apply(move, hotel);

            assertThat(after.step().status()).isEqualTo(Status.FAILED);
            assertThat(after.step().lastError()).isEqualTo("because");
            assertThat(after.pipeline().status()).isEqualTo(Status.FAILED);
            assertThat(after.pipeline().lastError()).isEqualTo("Compensation of step \"Hotel\" failed: because"
                    + " (compensating after: Step \"Car\" failed: no cars)");
            assertThat(Compensations.of(after.pipeline())).isNotNull();
            assertThat(move.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(after.pipeline().claimOwner()).isNull();
        }

        @ParameterizedTest
        @EnumSource(value = Decision.class, names = {"CONTINUE_AFTER", "AWAIT_SIGNAL"})
        void aCompensationThatWaitsIsCalledAgainLater(Decision decision) {
            RunState hotel = state(2, Status.PENDING, Status.FAILED);
            HookResult waits = decision == Decision.CONTINUE_AFTER ? decided(decision, Map.of("in", 1L))
                    : new HookResult(decision, null, Duration.ofMinutes(5), Map.of("s", 2L), Map.of("in", 1L), null,
                    "refunded", List.of());

            Move move = machine.afterHook(hotel, definition("Hotel"), Hook.ON_COMPENSATE, waits, NOW);
            StepMachineTest.Applied after = apply(move, hotel);

            assertThat(after.step().status()).isEqualTo(Status.PENDING);
            assertThat(after.step().metadata()).containsEntry("s", 2L);
            assertThat(after.pipeline().status()).isEqualTo(Status.PENDING);
            assertThat(after.pipeline().dueAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
            assertThat(after.pipeline().claimOwner()).isNull();
            assertThat(Compensations.of(after.pipeline())).isNotNull();
            assertThat(move.outcome()).isEqualTo(Outcome.WAITING);
            RunState woken = new RunState(after.pipeline().withClaim(ME, NOW.plusSeconds(40)), after.step(), false,
                    PASS_START, RunState.Unsaved.NONE);
            assertThat(machine.plan(woken, NOW)).isEqualTo(new Plan.CallHook(definition("Hotel"),
                    Hook.ON_COMPENSATE));
        }

        @Test
        void aCompensationThatThrowsIsRetriedLikeAnyHookAndItsLastAttemptFailsThePipeline() {
            RunState first = state(2, Status.PENDING, Status.FAILED);
            HookResult threw = HookResult.threw(new IllegalStateException("refund down"));

            Move retry = machine.afterHook(first, definition("Hotel"), Hook.ON_COMPENSATE, threw, NOW);
            StepMachineTest.Applied retried = apply(retry, first);
            RunState last = new RunState(first.pipeline(), first.step().withAttempts(2), false, PASS_START,
                    RunState.Unsaved.NONE);
            Move fail = machine.afterHook(last, definition("Hotel"), Hook.ON_COMPENSATE, threw, NOW);
            StepMachineTest.Applied failed = apply(fail, last);

            assertThat(retried.step().status()).isEqualTo(Status.PENDING);
            assertThat(retried.step().attempts()).isEqualTo(1);
            assertThat(retried.pipeline().dueAt()).isEqualTo(NOW.plusSeconds(1));
            assertThat(Compensations.of(retried.pipeline())).isNotNull();
            assertThat(retry.outcome()).isEqualTo(Outcome.WAITING);
            assertThat(failed.step().status()).isEqualTo(Status.FAILED);
            assertThat(failed.step().attempts()).isEqualTo(3);
            assertThat(failed.pipeline().status()).isEqualTo(Status.FAILED);
            assertThat(failed.pipeline().lastError()).startsWith("Compensation of step \"Hotel\" failed: Step"
                    + " \"Hotel\" failed after 3 attempts: java.lang.IllegalStateException: refund down");
        }

        @Test
        void aCompensationPastItsTimeoutIsAFailedAttemptNamingOnCompensate() {
            RunState hotel = state(2, Status.PENDING, Status.FAILED);

            StepMachineTest.Applied after = apply(machine.timedOut(hotel, Hook.ON_COMPENSATE, "w-1", NOW), hotel);

            assertThat(after.step().lastError()).contains("onCompensate of step \"Hotel\" ran longer than PT5S");
            assertThat(after.step().attempts()).isEqualTo(1);
        }

        @Test
        void unsavedCompensationsFailThePipeline() {
            RunState fine = state(2, Status.PENDING, Status.FAILED);
            RunState unsaved = new RunState(fine.pipeline(), fine.step(), false, PASS_START,
                    new RunState.Unsaved(3, "connection reset"));

            StepMachineTest.Applied after = apply(((Plan.Write) machine.plan(unsaved, NOW)).move(), unsaved);

            assertThat(after.pipeline().status()).isEqualTo(Status.FAILED);
            assertThat(after.pipeline().lastError()).startsWith("Compensation of step \"Hotel\" failed");
        }
    }

    @Nested
    class FromOutside {
        @Test
        void aCancelWithStepsToUndoCancelsTheStepAndCompensatesUnclaimedAndDueAtOnce() {
            RunState car = state(3, Status.PENDING, null);

            StepMachineTest.Applied after = apply(Compensations.cancel(car.step(), "by operator", 2, NOW), car);

            assertThat(after.step().status()).isEqualTo(Status.CANCELLED);
            assertThat(after.pipeline().status()).isEqualTo(Status.PENDING);
            assertThat(after.pipeline().currentStep()).isEqualTo(2);
            assertThat(after.pipeline().claimOwner()).isNull();
            assertThat(after.pipeline().dueAt()).isEqualTo(NOW);
            assertThat(Compensations.of(after.pipeline()))
                    .isEqualTo(new Compensations.Marker(Status.CANCELLED, "Cancelled: by operator"));
            assertThat(Compensations.previous(DEFINITIONS, STEPS, 3)).isEqualTo(2);
            assertThat(Compensations.previous(DEFINITIONS, STEPS, 2)).isZero();
            assertThat(Compensations.previous(DEFINITIONS, STEPS, 0)).isEqualTo(-1);
        }

        @Test
        void aRetryCompensatesTheFailedStepAgainAndARestartRunsForwardAgain() {
            RunState failed = state(2, Status.FAILED, Status.FAILED);

            List<StoredRecord> retried = Move.apply(List.of(OperatorMoves.retry(failed.step(), NOW),
                    Compensations.compensateAgain(2, NOW)), failed.pipeline(), p -> failed.step());
            List<StoredRecord> restarted = Move.apply(List.of(OperatorMoves.restartFrom(2, List.of(failed.step()), NOW),
                    Compensations.forward()), failed.pipeline(), p -> failed.step());

            assertThat(((StepRecord) retried.get(1)).status()).isEqualTo(Status.PENDING);
            assertThat(Compensations.of((PipelineRecord) retried.get(0))).isNotNull();
            assertThat(((StepRecord) restarted.get(1)).status()).isEqualTo(Status.CREATED);
            assertThat(Compensations.of((PipelineRecord) restarted.get(0))).isNull();
        }

        @Test
        void aMarkerEditedByHandIsReadAsAFailureOrIgnored() {
            assertThat(Compensations.of(Map.of(Compensations.KEY, Map.of("cause", "odd", "reason", "r"))))
                    .isEqualTo(new Compensations.Marker(Status.FAILED, "r"));
            assertThat(Compensations.of(Map.of(Compensations.KEY, "not a map"))).isNull();
            assertThat(Compensations.of(Map.of(Compensations.KEY, Map.of("cause", "failed")))).isNull();
        }
    }
}
