package io.prorch.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

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
import java.time.Instant;
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

/** The state diagram, exhaustively: every step status, every hook outcome, claims, retries, timeouts and cancel. */
class StepMachineTest {
    static final String ME = "me";
    static final Instant NOW = Instant.parse("2026-12-06T10:00:00.000001Z");
    static final Duration CLAIM = Duration.ofSeconds(60);
    static final Instant PASS_START = NOW.minusSeconds(1);

    @Step(name = "Both", maxAttempts = 3, initialBackoffMillis = 1000)
    public static class Both implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
        }

        @Override
        public void onContinue(StepContext ctx) {
        }
    }

    @Step(name = "StartOnly")
    public static class StartOnly implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    @Step(name = "ContinueOnly")
    public static class ContinueOnly implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
        }
    }

    @Pipeline(name = "P", steps = {Both.class, StartOnly.class, ContinueOnly.class})
    public static class P {
    }

    static final Definitions DEFINITIONS = new DefinitionScanner(RetryPolicy.DEFAULT, Duration.ofSeconds(5), true)
            .register(List.of(P.class)).definitions();
    final StepMachine machine = new StepMachine(DEFINITIONS, ME, CLAIM, 1000);

    /** A pipeline P claimed by this orchestrator for another 40 s, at {@code position}, its step in {@code status}. */
    static RunState state(int position, Status status, boolean continued) {
        UUID id = PipelineRecord.newId();
        Instant until = NOW.plusSeconds(40);
        PipelineRecord pipeline = PipelineRecord.pending(id, "P", List.of("Both", "StartOnly", "ContinueOnly"),
                Map.of("in", 1L), NOW.minusSeconds(5)).toBuilder().currentStep(position).claim(ME, until)
                .dueAt(until).version(3).build();
        StepRecord step = StepRecord.created(id, position, pipeline.stepNames().get(position), NOW.minusSeconds(5))
                .withStatus(status);
        return new RunState(pipeline, step, continued, PASS_START, RunState.Unsaved.NONE);
    }

    static StepDefinition definition(String name) {
        return DEFINITIONS.step(name).orElseThrow();
    }

    /** @return the pipeline and step records {@code move} makes of {@code state} */
    static Applied apply(Move move, RunState state) {
        List<StoredRecord> records = Move.apply(List.of(move), state.pipeline(), p -> state.step());
        PipelineRecord pipeline = records.isEmpty() ? state.pipeline() : (PipelineRecord) records.get(0);
        StepRecord step = records.size() > 1 ? (StepRecord) records.get(1) : state.step();
        return new Applied(pipeline, step, records.size());
    }

    record Applied(PipelineRecord pipeline, StepRecord step, int written) {
    }

    static HookResult decided(Decision decision) {
        return new HookResult(decision, decision == Decision.FAIL || decision == Decision.CANCEL ? "because" : null,
                decision == Decision.CONTINUE_AFTER ? Duration.ofMinutes(5) : null, Map.of("s", 2L),
                Map.of("in", 1L, "p", 3L), null);
    }

    @Nested
    class Plans {
        static Stream<Arguments> everyStatus() {
            return Stream.of(
                    // position, status, continued this turn, expected plan: a hook, or a write's outcome
                    arguments(0, Status.CREATED, false, Hook.ON_START),
                    arguments(1, Status.CREATED, false, Hook.ON_START),
                    arguments(2, Status.CREATED, false, Hook.ON_CONTINUE),   // no onStart: onContinue at once
                    arguments(0, Status.PENDING, false, Hook.ON_CONTINUE),
                    arguments(2, Status.PENDING, false, Hook.ON_CONTINUE),
                    arguments(0, Status.PENDING, true, Outcome.WAITING),      // once per turn, then a later pass
                    arguments(1, Status.PENDING, false, null),                 // no onContinue any more: advances
                    arguments(0, Status.FINISHED, false, null),
                    arguments(2, Status.FINISHED, false, Outcome.FINISHED),
                    arguments(1, Status.FAILED, false, Outcome.FAILED),
                    arguments(1, Status.CANCELLED, false, Outcome.CANCELLED),
                    // compensated by hand without a compensation under way: ends the pipeline as a failure
                    arguments(1, Status.COMPENSATED, false, Outcome.FAILED));
        }

        @ParameterizedTest(name = "step {0} {1}, continued {2}: {3}")
        @MethodSource("everyStatus")
        void everyStatusOfTheCurrentStep(int position, Status status, boolean continued, Object expected) {
            RunState state = state(position, status, continued);

            Plan plan = machine.plan(state, NOW);

            if (expected instanceof Hook hook) {
                assertThat(plan).isEqualTo(new Plan.CallHook(definition(state.step().name()), hook));
                return;
            }
            assertThat(plan).isInstanceOf(Plan.Write.class);
            Move move = ((Plan.Write) plan).move();
            Applied after = apply(move, state);
            if (expected == null) {
                // the step is (or counts as) finished: the next one is entered in the same turn, claim kept
                assertThat(move.next()).isEqualTo(Next.DRIVE_ON);
                assertThat(after.step().status()).isEqualTo(Status.FINISHED);
                assertThat(after.pipeline().currentStep()).isEqualTo(position + 1);
                assertThat(after.pipeline().claimOwner()).isEqualTo(ME);
                return;
            }
            assertThat(move.next()).isEqualTo(Next.END_TURN);
            assertThat(move.outcome()).isEqualTo(expected);
            assertThat(after.pipeline().claimOwner()).isNull();
            if (expected == Outcome.WAITING) {
                assertThat(after.pipeline().status()).isEqualTo(Status.PENDING);
                assertThat(after.pipeline().dueAt()).isEqualTo(NOW);
                assertThat(after.step()).isEqualTo(state.step());
            } else {
                assertThat(after.pipeline().status().name()).isEqualTo(((Outcome) expected).name());
                assertThat(after.pipeline().dueAt()).isNull();
            }
        }

        @Test
        void aClaimThatExpiredOrIsAnotherOrchestratorsStopsWithoutAWrite() {
            RunState expired = state(0, Status.CREATED, false);
            RunState theirs = new RunState(expired.pipeline().withClaim("other", NOW.plusSeconds(30)), expired.step(),
                    false, PASS_START, RunState.Unsaved.NONE);

            assertThat(machine.plan(expired, NOW.plusSeconds(41))).isInstanceOf(Plan.Stop.class)
                    .extracting(p -> ((Plan.Stop) p).problem()).asString().contains("expired before its next hook");
            assertThat(machine.plan(theirs, NOW)).isInstanceOf(Plan.Stop.class);
        }

        @Test
        void aHookStartsOnlyWithHalfItsClaimLeftOtherwiseTheClaimIsExtendedFirst() {
            RunState state = state(0, Status.CREATED, false);   // claimed for another 40 s of 60
            Instant late = NOW.plusSeconds(11);                  // 29 s left

            Move extend = ((Plan.Write) machine.plan(state, late)).move();
            Applied after = apply(extend, state);

            assertThat(extend.next()).isEqualTo(Next.DRIVE_ON);
            assertThat(extend.progress()).isFalse();
            assertThat(after.pipeline().claimExpiresAt()).isEqualTo(late.plus(CLAIM));
            assertThat(after.written()).isEqualTo(1);
            RunState extended = new RunState(after.pipeline(), state.step(), false, PASS_START,
                    RunState.Unsaved.NONE);
            assertThat(machine.plan(extended, late)).isInstanceOf(Plan.CallHook.class);
        }

        @Test
        void aStepWhoseHookRanAsOftenAsItsPolicyAllowsWithNoResultSavedFailsInsteadOfRunningAgain() {
            RunState fine = state(0, Status.PENDING, false);
            RunState twice = new RunState(fine.pipeline(), fine.step(), false, PASS_START,
                    new RunState.Unsaved(2, "RepositoryException: connection reset"));
            RunState thrice = new RunState(fine.pipeline(), fine.step(), false, PASS_START,
                    new RunState.Unsaved(3, "RepositoryException: connection reset"));

            assertThat(machine.plan(twice, NOW)).isInstanceOf(Plan.CallHook.class);
            Move fail = ((Plan.Write) machine.plan(thrice, NOW)).move();
            Applied after = apply(fail, thrice);
            assertThat(fail.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(after.step().status()).isEqualTo(Status.FAILED);
            assertThat(after.pipeline().status()).isEqualTo(Status.FAILED);
            assertThat(after.step().lastError()).contains("3 executions of step \"Both\" in a row could not be saved")
                    .contains("connection reset");
        }

        @Test
        void anUnknownPipelineOrStepNameSetsThePipelineAsideWithItsReason() {
            RunState known = state(0, Status.PENDING, false);
            RunState unknownPipeline = new RunState(known.pipeline().toBuilder().name("Gone").build(), known.step(),
                    false, PASS_START, RunState.Unsaved.NONE);
            RunState unknownStep = new RunState(known.pipeline().toBuilder()
                    .stepNames(List.of("Both", "Renamed", "ContinueOnly")).build(), known.step(), false, PASS_START,
                    RunState.Unsaved.NONE);
            RunState stepRowRenamed = new RunState(known.pipeline(), StepRecord.created(known.pipeline().id(), 0,
                    "Elsewhere", NOW), false, PASS_START, RunState.Unsaved.NONE);

            for (RunState parked : List.of(unknownPipeline, unknownStep, stepRowRenamed)) {
                Move move = ((Plan.Write) machine.plan(parked, NOW)).move();
                Applied after = apply(move, parked);
                assertThat(move.outcome()).isEqualTo(Outcome.SKIPPED);
                assertThat(move.problem()).isEqualTo(after.pipeline().lastError());
                assertThat(after.pipeline().status()).isEqualTo(Status.PENDING);
                assertThat(after.pipeline().claimOwner()).isNull();
                assertThat(after.pipeline().dueAt()).isAfterOrEqualTo(NOW.plus(StepMachine.FIRST_SET_ASIDE_DELAY));
                assertThat(after.pipeline().lastError()).contains("left as it is").contains("registered");
                assertThat(after.written()).isEqualTo(1);
            }
        }

        @Test
        void aPipelineSetAsideAgainWaitsAsLongAsItsStepHasNotMovedUpToAMinuteAndIsNotReportedAgain() {
            RunState first = state(0, Status.PENDING, false);
            RunState gone = new RunState(first.pipeline().toBuilder().name("Gone").build(), first.step(), false,
                    PASS_START, RunState.Unsaved.NONE);
            String reason = apply(((Plan.Write) machine.plan(gone, NOW)).move(), gone).pipeline().lastError();

            for (long stillSeconds : new long[] {0, 1, 7, 59, 60, 3600}) {
                RunState again = new RunState(gone.pipeline().withLastError(reason),
                        gone.step().withUpdatedAt(NOW.minusSeconds(stillSeconds)), false, PASS_START,
                        RunState.Unsaved.NONE);
                Move move = ((Plan.Write) machine.plan(again, NOW)).move();

                assertThat(move.problem()).as("reported again after %s s", stillSeconds).isNull();
                assertThat(apply(move, again).pipeline().dueAt()).as("step still for %s s", stillSeconds)
                        .isEqualTo(NOW.plusSeconds(Math.min(60, Math.max(1, stillSeconds))));
            }
        }
    }

    @Nested
    class AfterHooks {
        static Stream<Arguments> everyDecision() {
            return Stream.of(
                    // hook, decision, step position, then: step status, pipeline status, current step, next, outcome
                    arguments(Hook.ON_START, Decision.NONE, 0, Status.PENDING, Status.PENDING, 0, Next.DRIVE_ON, null),
                    arguments(Hook.ON_START, Decision.NONE, 1, Status.FINISHED, Status.PENDING, 2, Next.DRIVE_ON, null),
                    arguments(Hook.ON_START, Decision.FINISH, 0, Status.FINISHED, Status.PENDING, 1, Next.DRIVE_ON,
                            null),
                    arguments(Hook.ON_START, Decision.FAIL, 0, Status.FAILED, Status.FAILED, 0, Next.END_TURN,
                            Outcome.FAILED),
                    arguments(Hook.ON_START, Decision.CANCEL, 0, Status.CANCELLED, Status.CANCELLED, 0, Next.END_TURN,
                            Outcome.CANCELLED),
                    arguments(Hook.ON_START, Decision.CONTINUE_AFTER, 0, Status.PENDING, Status.PENDING, 0,
                            Next.END_TURN, Outcome.WAITING),
                    arguments(Hook.ON_CONTINUE, Decision.NONE, 0, Status.PENDING, Status.PENDING, 0, Next.END_TURN,
                            Outcome.WAITING),
                    arguments(Hook.ON_CONTINUE, Decision.FINISH, 0, Status.FINISHED, Status.PENDING, 1,
                            Next.DRIVE_ON, null),
                    arguments(Hook.ON_CONTINUE, Decision.FINISH, 2, Status.FINISHED, Status.FINISHED, 2,
                            Next.END_TURN, Outcome.FINISHED),
                    arguments(Hook.ON_CONTINUE, Decision.FAIL, 2, Status.FAILED, Status.FAILED, 2, Next.END_TURN,
                            Outcome.FAILED),
                    arguments(Hook.ON_CONTINUE, Decision.CANCEL, 2, Status.CANCELLED, Status.CANCELLED, 2,
                            Next.END_TURN, Outcome.CANCELLED),
                    arguments(Hook.ON_CONTINUE, Decision.CONTINUE_AFTER, 2, Status.PENDING, Status.PENDING, 2,
                            Next.END_TURN, Outcome.WAITING));
        }

        @ParameterizedTest(name = "{0} decided {1} at step {2}: step {3}, pipeline {4}")
        @MethodSource("everyDecision")
        void everyDecisionOfEveryHook(Hook hook, Decision decision, int position, Status stepStatus,
                                      Status pipelineStatus, int currentStep, Next next, Outcome outcome) {
            RunState state = state(position, hook == Hook.ON_START ? Status.CREATED : Status.PENDING, false);

            Move move = machine.afterHook(state, definition(state.step().name()), hook, decided(decision), NOW);
            Applied after = apply(move, state);

            assertThat(after.step().status()).isEqualTo(stepStatus);
            assertThat(after.pipeline().status()).isEqualTo(pipelineStatus);
            assertThat(after.pipeline().currentStep()).isEqualTo(currentStep);
            assertThat(move.next()).isEqualTo(next);
            assertThat(move.outcome()).isEqualTo(outcome);
            // what the hook left in metadata is kept with every decision
            assertThat(after.step().metadata()).isEqualTo(Map.of("s", 2L));
            assertThat(after.pipeline().metadata()).isEqualTo(Map.of("in", 1L, "p", 3L));
            assertThat(after.step().updatedAt()).isEqualTo(NOW);
            if (pipelineStatus.isTerminal()) {
                assertThat(after.pipeline().claimOwner()).isNull();
                assertThat(after.pipeline().dueAt()).isNull();
            } else if (next == Next.DRIVE_ON) {
                // more than half the claim left: kept as it is, so the due index is not touched
                assertThat(after.pipeline().claimExpiresAt()).isEqualTo(state.pipeline().claimExpiresAt());
            } else {
                assertThat(after.pipeline().claimOwner()).isNull();
                assertThat(after.pipeline().dueAt()).isEqualTo(decision == Decision.CONTINUE_AFTER
                        ? NOW.plus(Duration.ofMinutes(5)) : NOW);
            }
            if (decision == Decision.FAIL || decision == Decision.CANCEL) {
                assertThat(after.step().lastError()).isEqualTo("because");
                assertThat(after.pipeline().lastError()).contains("because").contains(state.step().name());
            }
            // only a move that entered a step, or ended or advanced it, counts as progress
            assertThat(move.progress()).isEqualTo(!(hook == Hook.ON_CONTINUE && next == Next.END_TURN
                    && outcome == Outcome.WAITING));
        }

        @Test
        void aClaimWithLessThanHalfLeftIsExtendedWhenTheRunDrivesOn() {
            RunState state = state(0, Status.CREATED, false);
            Instant late = NOW.plusSeconds(20);

            Applied after = apply(machine.afterHook(state, definition("Both"), Hook.ON_START, decided(Decision.NONE),
                    late), state);

            assertThat(after.pipeline().claimExpiresAt()).isEqualTo(late.plus(CLAIM));
            assertThat(after.pipeline().dueAt()).isEqualTo(late.plus(CLAIM));
        }

        @Test
        void aPipelineReleasedInAPassIsDueOnlyAfterThatPassStarted() {
            RunState state = state(0, Status.PENDING, false);
            Instant beforePass = PASS_START.minusMillis(5);

            Applied after = apply(machine.afterHook(state, definition("Both"), Hook.ON_CONTINUE,
                    decided(Decision.NONE), beforePass), state);

            assertThat(after.pipeline().dueAt()).isEqualTo(PASS_START.plusNanos(1000));
        }

        @Test
        void aHookThatThrowsIsRetriedAfterABackoffUntilTheLastAttemptFailsTheStep() {
            RunState first = state(0, Status.PENDING, false);
            HookResult threw = HookResult.threw(new IllegalStateException("boom"));

            Move retry = machine.afterHook(first, definition("Both"), Hook.ON_CONTINUE, threw, NOW);
            Applied retried = apply(retry, first);
            assertThat(retry.outcome()).isEqualTo(Outcome.WAITING);
            assertThat(retry.progress()).isFalse();
            assertThat(retried.step().status()).isEqualTo(Status.PENDING);
            assertThat(retried.step().attempts()).isEqualTo(1);
            assertThat(retried.step().lastError()).contains("IllegalStateException: boom");
            assertThat(retried.step().metadata()).isEmpty();   // what the hook put before throwing is discarded
            assertThat(retried.pipeline().dueAt()).isEqualTo(NOW.plusSeconds(1));
            assertThat(retried.pipeline().claimOwner()).isNull();
            assertThat(retry.problem()).contains("attempt 1 of 3 failed, retrying in PT1S");

            RunState last = new RunState(first.pipeline(), first.step().withAttempts(2), false, PASS_START,
                    RunState.Unsaved.NONE);
            Move fail = machine.afterHook(last, definition("Both"), Hook.ON_CONTINUE, threw, NOW);
            Applied failed = apply(fail, last);
            assertThat(fail.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(failed.step().status()).isEqualTo(Status.FAILED);
            assertThat(failed.step().attempts()).isEqualTo(3);
            assertThat(failed.pipeline().status()).isEqualTo(Status.FAILED);
            assertThat(failed.pipeline().lastError()).isEqualTo("Step \"Both\" failed after 3 attempts: "
                    + "java.lang.IllegalStateException: boom");
        }

        @Test
        void metadataOverTheLimitIsAFailedAttemptThatKeepsNoneOfTheHooksChanges() {
            RunState state = state(0, Status.PENDING, false);
            HookResult big = new HookResult(Decision.FINISH, null, null, Map.of("blob", "x".repeat(2000)),
                    state.pipeline().metadata(), null);
            HookResult bigPipeline = new HookResult(Decision.FINISH, null, null, Map.of(),
                    Map.of("blob", "x".repeat(990)), null);

            for (HookResult result : List.of(big, bigPipeline)) {
                Move move = machine.afterHook(state, definition("Both"), Hook.ON_CONTINUE, result, NOW);
                Applied after = apply(move, state);

                assertThat(move.outcome()).isEqualTo(Outcome.WAITING);
                assertThat(after.step().attempts()).isEqualTo(1);
                assertThat(after.step().status()).isEqualTo(Status.PENDING);
                assertThat(after.step().metadata()).isEmpty();
                assertThat(after.pipeline().metadata()).isEqualTo(state.pipeline().metadata());
                assertThat(after.step().lastError()).contains("RecordRejectedException")
                        .contains(state.pipeline().id().toString()).contains("step \"Both\"")
                        .contains("over the limit of 1000 bytes (maxMetadataBytes)");
            }
            // exactly at the limit is fine: {"blob":"x...x"} with 989 x is 1000 bytes
            HookResult atLimit = new HookResult(Decision.FINISH, null, null, Map.of("blob", "x".repeat(989)),
                    state.pipeline().metadata(), null);
            assertThat(apply(machine.afterHook(state, definition("Both"), Hook.ON_CONTINUE, atLimit, NOW), state)
                    .step().status()).isEqualTo(Status.FINISHED);
        }

        @Test
        void aWriteTheStoreRefusedCountsAsAFailedAttempt() {
            RunState state = state(0, Status.PENDING, false);

            Move move = machine.rejected(state, new io.prorch.repository.RecordRejectedException("too big for me"),
                    NOW);

            assertThat(apply(move, state).step().attempts()).isEqualTo(1);
            assertThat(apply(move, state).step().lastError()).contains("too big for me");
            assertThat(apply(move, state).pipeline().claimOwner()).isNull();
        }

        @Test
        void aHookPastItsTimeoutIsAFailedAttemptNamingTheHookAndTheThread() {
            RunState state = state(0, Status.CREATED, false);

            Move move = machine.timedOut(state, Hook.ON_START, "prorch-worker-3", NOW);

            assertThat(apply(move, state).step().lastError()).contains("TimeoutException")
                    .contains("onStart of step \"Both\" ran longer than PT5S").contains("prorch-worker-3");
            assertThat(apply(move, state).step().attempts()).isEqualTo(1);
        }
    }

    @Nested
    class FromOutside {
        @ParameterizedTest
        @EnumSource(value = Status.class, names = {"CREATED", "PENDING"})
        void cancelEndsThePipelineAndItsLiveStep(Status stepStatus) {
            RunState state = state(1, stepStatus, false);

            Applied after = apply(OperatorMoves.cancel(state.step(), "by operator", NOW), state);

            assertThat(after.pipeline().status()).isEqualTo(Status.CANCELLED);
            assertThat(after.pipeline().lastError()).isEqualTo("Cancelled: by operator");
            assertThat(after.pipeline().claimOwner()).isNull();
            assertThat(after.pipeline().dueAt()).isNull();
            assertThat(after.step().status()).isEqualTo(Status.CANCELLED);
            assertThat(after.step().lastError()).isEqualTo("by operator");
        }

        @Test
        void cancelLeavesAStepThatAlreadyEndedOrCannotBeReadAlone() {
            RunState state = state(1, Status.FINISHED, false);

            assertThat(apply(OperatorMoves.cancel(state.step(), "x", NOW), state).written()).isEqualTo(1);
            assertThat(apply(OperatorMoves.cancel(null, "x", NOW), state).pipeline().status())
                    .isEqualTo(Status.CANCELLED);
        }

        @Test
        void pauseReleasesTheClaimAndLeavesThePipelineDue() {
            RunState state = state(1, Status.PENDING, false);

            Move pause = machine.pause(state, NOW.plusSeconds(2));
            Applied after = apply(pause, state);

            assertThat(pause.outcome()).isEqualTo(Outcome.WAITING);
            assertThat(after.pipeline().claimOwner()).isNull();
            assertThat(after.pipeline().dueAt()).isEqualTo(NOW.plusSeconds(2));
            assertThat(after.written()).isEqualTo(1);
        }

        @Test
        void aRenewalExtendsOnlyAClaimThisOrchestratorStillHolds() {
            RunState ours = state(0, Status.PENDING, false);
            RunState theirs = new RunState(ours.pipeline().withClaim("other", NOW.plusSeconds(9)), ours.step(), false,
                    PASS_START, RunState.Unsaved.NONE);

            Move renewal = machine.renewal(NOW);

            assertThat(renewal.next()).isEqualTo(Next.NOTHING);
            assertThat(apply(renewal, ours).pipeline().claimExpiresAt()).isEqualTo(NOW.plus(CLAIM));
            assertThat(apply(renewal, theirs).written()).isZero();
        }
    }

    /** {@code @Step(deadline)}: counted from the step's first saved result, it ends the step however it waits. */
    @Nested
    class Deadlines {
        @Step(name = "Bounded", deadline = "PT1H", maxAttempts = 5, initialBackoffMillis = 3_600_000)
        public static class Bounded implements OnStart, OnContinue {
            @Override
            public void onStart(StepContext ctx) {
            }

            @Override
            public void onContinue(StepContext ctx) {
            }
        }

        @Pipeline(name = "B", steps = Bounded.class)
        public static class B {
        }

        final Definitions definitions = new DefinitionScanner(RetryPolicy.DEFAULT, Duration.ofSeconds(5), true)
                .register(List.of(B.class)).definitions();
        final StepMachine bounded = new StepMachine(definitions, ME, CLAIM, 1000);
        final StepDefinition step = definitions.step("Bounded").orElseThrow();

        /** Pipeline B claimed by this orchestrator, its step in {@code status}, entered at {@code entered} (or not). */
        RunState b(Status status, Instant entered) {
            UUID id = PipelineRecord.newId();
            PipelineRecord pipeline = PipelineRecord.pending(id, "B", List.of("Bounded"), Map.of(), NOW.minusSeconds(5))
                    .toBuilder().claim(ME, NOW.plusSeconds(40)).dueAt(NOW.plusSeconds(40)).build();
            StepRecord record = StepRecord.created(id, 0, "Bounded", NOW.minusSeconds(5)).withStatus(status)
                    .withMetadata(entered == null ? Map.of() : Map.of(StepDeadline.KEY, entered.toString()));
            return new RunState(pipeline, record, false, PASS_START, RunState.Unsaved.NONE);
        }

        @Test
        void theFirstSavedResultRecordsWhenTheStepWasEnteredAndAWaitEndsNoLaterThanTheDeadline() {
            RunState state = b(Status.CREATED, null);
            HookResult awaits = new HookResult(Decision.AWAIT_SIGNAL, null, Duration.ofDays(3), Map.of(), Map.of(),
                    null, "approved", List.of());

            Applied after = apply(bounded.afterHook(state, step, Hook.ON_START, awaits, NOW), state);

            assertThat(after.step().metadata()).containsEntry(StepDeadline.KEY, NOW.toString());
            assertThat(after.pipeline().dueAt()).as("the 3-day wait is cut at the 1-hour deadline")
                    .isEqualTo(NOW.plus(Duration.ofHours(1)));
        }

        @Test
        void pollingAndRetriesAreCutAtTheDeadlineAndAStepWithoutOneIsNotStamped() {
            Instant entered = NOW.minus(Duration.ofMinutes(58));
            RunState state = b(Status.PENDING, entered);
            // a hook's metadata starts from the step's, reserved keys included
            HookResult poll = new HookResult(Decision.CONTINUE_AFTER, null, Duration.ofMinutes(5),
                    state.step().metadata(), Map.of(), null);

            Applied polled = apply(bounded.afterHook(state, step, Hook.ON_CONTINUE, poll, NOW), state);
            Applied retried = apply(bounded.afterHook(state, step, Hook.ON_CONTINUE,
                    HookResult.threw(new IllegalStateException("flaky")), NOW), state);
            RunState plain = state(0, Status.CREATED, false);
            Applied noDeadline = apply(machine.afterHook(plain, definition("Both"), Hook.ON_START,
                    new HookResult(Decision.CONTINUE_AFTER, null, Duration.ofMinutes(5), Map.of(), Map.of(), null), NOW),
                    plain);

            assertThat(polled.pipeline().dueAt()).isEqualTo(entered.plus(Duration.ofHours(1)));
            assertThat(polled.step().metadata()).as("entered once, not at every call")
                    .containsEntry(StepDeadline.KEY, entered.toString());
            assertThat(retried.pipeline().dueAt()).as("the hour-long backoff is cut too")
                    .isEqualTo(entered.plus(Duration.ofHours(1)));
            assertThat(noDeadline.step().metadata()).doesNotContainKey(StepDeadline.KEY);
        }

        @Test
        void aPendingStepPastItsDeadlineFailsWithItsPipelineWithoutCallingItsHook() {
            Instant entered = NOW.minus(Duration.ofHours(1));
            RunState due = b(Status.PENDING, entered);
            RunState notYet = b(Status.PENDING, entered.plusNanos(1000));
            RunState notEntered = b(Status.CREATED, entered.minus(Duration.ofDays(1)));   // restarted: stale stamp

            Plan plan = bounded.plan(due, NOW);

            assertThat(plan).isInstanceOf(Plan.Write.class);
            Move move = ((Plan.Write) plan).move();
            Applied after = apply(move, due);
            assertThat(move.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(after.pipeline().status()).isEqualTo(Status.FAILED);
            assertThat(after.step().status()).isEqualTo(Status.FAILED);
            assertThat(after.pipeline().lastError()).contains("step \"Bounded\" passed its deadline of PT1H")
                    .contains(entered.toString());
            assertThat(after.pipeline().claimOwner()).isNull();
            assertThat(bounded.plan(notYet, NOW)).isEqualTo(new Plan.CallHook(step, Hook.ON_CONTINUE));
            assertThat(bounded.plan(notEntered, NOW)).isEqualTo(new Plan.CallHook(step, Hook.ON_START));
        }
    }
}
