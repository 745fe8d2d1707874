package io.prorch;

import static io.prorch.MortalRepository.Moment.AFTER_COMMIT_BEFORE_REPLY;
import static io.prorch.MortalRepository.Moment.AFTER_WRITE;
import static io.prorch.MortalRepository.Moment.BEFORE_WRITE;
import static io.prorch.MortalRepository.Moment.REPLY_LOST_ONLY;
import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Crash at every point, deterministically. Orchestrator A dies at one exact point of a run: its store refuses every
 * call from then on and its threads run no more hooks, as if the process had been killed. Orchestrator B, on the same
 * store and clock, takes the pipeline over once A's claim has expired, and finishes it. A ledger of hook calls pins
 * how often each hook ran; the stored records show that nothing committed was lost or applied twice.
 */
@Timeout(30)
class CrashPointTest {
    static final Duration CLAIM = Duration.ofMinutes(1);
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Map<String, Object> INPUT = Map.of("order", "o-17");
    static final List<String> HOOKS = List.of("First.onStart", "First.onContinue", "Second.onStart",
            "Second.onContinue", "Third.onStart", "Third.onContinue");

    /** onStart writes which run of it this is into the step's and the pipeline's metadata; onContinue finishes. */
    public abstract static class Recorded implements OnStart, OnContinue {
        private final Process process;

        protected Recorded(Process process) {
            this.process = process;
        }

        @Override
        public void onStart(StepContext ctx) throws InterruptedException {
            String run = process.record(ctx, "onStart");
            ctx.metadata().put("startedBy", run);
            ctx.pipelineMetadata().put(ctx.stepName(), run);
            process.reached(ctx, "onStart");
        }

        @Override
        public void onContinue(StepContext ctx) throws InterruptedException {
            ctx.metadata().put("continuedBy", process.record(ctx, "onContinue"));
            process.reached(ctx, "onContinue");
            ctx.finish();
        }
    }

    @Step(name = "First")
    public static class First extends Recorded {
        public First(Process process) {
            super(process);
        }
    }

    @Step(name = "Second")
    public static class Second extends Recorded {
        public Second(Process process) {
            super(process);
        }
    }

    @Step(name = "Third")
    public static class Third extends Recorded {
        public Third(Process process) {
            super(process);
        }
    }

    @Pipeline(name = "ThreeSteps", steps = {First.class, Second.class, Third.class})
    public static class ThreeSteps {
    }

    private final InMemoryRepository store = InMemoryRepository.create();
    private final SettableClock clock = new SettableClock();
    private final Ledger ledger = new Ledger();
    private final MortalRepository storeOfA = new MortalRepository(store);
    private final Process a = new Process("A", storeOfA, ledger);
    private final Process b = new Process("B", null, ledger);
    private final Orchestrator orchestratorA = orchestrator(a, storeOfA);
    private final Orchestrator orchestratorB = orchestrator(b, store);

    @AfterEach
    void close() {
        a.bury();
        a.released.countDown();
        orchestratorA.close();
        orchestratorB.close();
    }

    @Nested
    class CrashOfA {
        @Test
        void afterItsClaimBeforeAnyHookEveryHookRunsOnceOnB() {
            UUID id = orchestratorA.starter(ThreeSteps.class).input(INPUT).inTransaction(storeOfA).start();
            storeOfA.dieAfterNextClaim();

            orchestratorA.executePipelines();

            assertThat(storeOfA.isDead()).isTrue();
            assertThat(pipeline(id).claimOwner()).as("A's claim was committed").isEqualTo("A");
            bTakesOver(id);
            assertThat(ledger.timesRun(id)).isEqualTo(onceEach());
            assertThat(ledger.calls(id, "A")).isEmpty();
            assertFinishedWith(id, "B#1/B#1", "B#1/B#1", "B#1/B#1");
        }

        @Test
        void insideOnStartThatHookRunsTwiceAndWhatItWroteOnAIsGone() throws Exception {
            a.dieInside = "Second.onStart";

            UUID id = orchestratorA.start(ThreeSteps.class, INPUT);

            assertThat(storeOfA.awaitDeath(WAIT)).isTrue();
            bTakesOver(id);
            assertThat(ledger.timesRun(id)).isEqualTo(onceEach("Second.onStart"));
            assertThat(ledger.calls(id, "A")).containsExactly("First.onStart", "First.onContinue", "Second.onStart");
            assertFinishedWith(id, "A#1/A#1", "B#2/B#1", "B#1/B#1");
        }

        @Test
        void insideOnContinueThatHookRunsTwice() throws Exception {
            a.dieInside = "Second.onContinue";

            UUID id = orchestratorA.start(ThreeSteps.class, INPUT);

            assertThat(storeOfA.awaitDeath(WAIT)).isTrue();
            bTakesOver(id);
            assertThat(ledger.timesRun(id)).isEqualTo(onceEach("Second.onContinue"));
            assertThat(ledger.calls(id, "A"))
                    .containsExactly("First.onStart", "First.onContinue", "Second.onStart", "Second.onContinue");
            assertFinishedWith(id, "A#1/A#1", "A#1/B#2", "B#1/B#1");
        }

        @Test
        void afterOnStartReturnedBeforeItsTransitionIsSavedThatHookRunsTwice() throws Exception {
            storeOfA.dieAt(BEFORE_WRITE, writing("Second", Status.PENDING));

            UUID id = orchestratorA.start(ThreeSteps.class, INPUT);

            assertThat(storeOfA.awaitDeath(WAIT)).isTrue();
            bTakesOver(id);
            assertThat(ledger.timesRun(id)).isEqualTo(onceEach("Second.onStart"));
            assertThat(ledger.calls(id, "A")).containsExactly("First.onStart", "First.onContinue", "Second.onStart");
            assertFinishedWith(id, "A#1/A#1", "B#2/B#1", "B#1/B#1");
        }

        @Test
        void afterOnContinueReturnedBeforeItsTransitionIsSavedThatHookRunsTwice() throws Exception {
            storeOfA.dieAt(BEFORE_WRITE, writing("Second", Status.FINISHED));

            UUID id = orchestratorA.start(ThreeSteps.class, INPUT);

            assertThat(storeOfA.awaitDeath(WAIT)).isTrue();
            bTakesOver(id);
            assertThat(ledger.timesRun(id)).isEqualTo(onceEach("Second.onContinue"));
            assertThat(ledger.calls(id, "A"))
                    .containsExactly("First.onStart", "First.onContinue", "Second.onStart", "Second.onContinue");
            assertFinishedWith(id, "A#1/A#1", "A#1/B#2", "B#1/B#1");
        }

        @Test
        void afterTheSaveBeforeTheNextStepsHookEveryHookRunsOnce() throws Exception {
            storeOfA.dieAt(AFTER_WRITE, writing("First", Status.FINISHED));

            UUID id = orchestratorA.start(ThreeSteps.class, INPUT);

            assertThat(storeOfA.awaitDeath(WAIT)).isTrue();
            bTakesOver(id);
            assertThat(ledger.timesRun(id)).isEqualTo(onceEach());
            assertThat(ledger.calls(id, "A")).containsExactly("First.onStart", "First.onContinue");
            assertFinishedWith(id, "A#1/A#1", "B#1/B#1", "B#1/B#1");
        }

        @Test
        void afterTheCommitBeforeTheReplyEveryHookRunsOnce() throws Exception {
            storeOfA.dieAt(AFTER_COMMIT_BEFORE_REPLY, writing("First", Status.FINISHED));

            UUID id = orchestratorA.start(ThreeSteps.class, INPUT);

            assertThat(storeOfA.awaitDeath(WAIT)).isTrue();
            bTakesOver(id);
            assertThat(ledger.timesRun(id)).isEqualTo(onceEach());
            assertThat(ledger.calls(id, "A")).containsExactly("First.onStart", "First.onContinue");
            assertFinishedWith(id, "A#1/A#1", "B#1/B#1", "B#1/B#1");
        }
    }

    @Nested
    class NoCrash {
        @Test
        void aLostReplyAloneIsNoCrashAFindsItsCommitAndGoesOn() throws Exception {
            storeOfA.dieAt(REPLY_LOST_ONLY, writing("First", Status.FINISHED));

            UUID id = orchestratorA.start(ThreeSteps.class, INPUT);

            assertThat(orchestratorA.awaitIdle(WAIT)).isTrue();
            assertThat(ledger.timesRun(id)).isEqualTo(onceEach());
            assertThat(ledger.calls(id, "B")).isEmpty();
            assertFinishedWith(id, "A#1/A#1", "A#1/A#1", "A#1/A#1");
        }

        @Test
        void aGracefulCloseBetweenStepsReleasesTheClaimSoBContinuesAtOnce() throws Exception {
            a.holdInside = "First.onContinue";
            UUID id = orchestratorA.start(ThreeSteps.class, INPUT);
            assertThat(a.held.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            // when: A is asked to close while the last hook of the first step runs
            Thread closing = new Thread(orchestratorA::close, "closing-A");
            closing.start();
            Eventually.await(() -> isClosing(orchestratorA));
            a.released.countDown();
            closing.join(WAIT.toMillis());

            // then: A saved that hook's result, ran nothing further and released its claim
            assertThat(closing.isAlive()).isFalse();
            assertThat(ledger.calls(id, "A")).containsExactly("First.onStart", "First.onContinue");
            PipelineRecord released = pipeline(id);
            assertThat(released.claimOwner()).isNull();
            assertThat(released.currentStep()).isEqualTo(1);

            // and B goes on at once, with no clock advance
            PassSummary pass = orchestratorB.executePipelines();
            assertThat(pass.finished()).isEqualTo(1);
            assertThat(ledger.timesRun(id)).isEqualTo(onceEach());
            assertFinishedWith(id, "A#1/A#1", "B#1/B#1", "B#1/B#1");
        }
    }

    /** B does not touch the pipeline while A's claim holds; once it expired, B finishes it in one pass. */
    private void bTakesOver(UUID id) {
        assertThat(orchestratorB.executePipelines().claimed()).as("claimed while A's claim holds").isZero();
        clock.advance(CLAIM.plusSeconds(1));

        PassSummary pass = orchestratorB.executePipelines();

        assertThat(pass.claimed()).isEqualTo(1);
        assertThat(pass.finished()).as("B's pass: %s", pass).isEqualTo(1);
    }

    /**
     * Each argument names, for one step, the runs whose results are stored: "A#1/B#2" means the first run of onStart
     * (on A) and the second run of onContinue (on B).
     */
    private void assertFinishedWith(UUID id, String... committedRuns) {
        PipelineRecord pipeline = pipeline(id);
        assertThat(pipeline.status()).isEqualTo(Status.FINISHED);
        assertThat(pipeline.claimOwner()).isNull();
        Map<String, Object> pipelineMetadata = new HashMap<>(INPUT);
        for (int i = 0; i < committedRuns.length; i++) {
            String[] runs = committedRuns[i].split("/");
            StepRecord step = store.get(Model.STEP, StepRecord.idOf(id, i)).orElseThrow();
            assertThat(step.status()).as(step.name()).isEqualTo(Status.FINISHED);
            assertThat(step.metadata()).as(step.name())
                    .isEqualTo(Map.of("startedBy", runs[0], "continuedBy", runs[1]));
            // created -> pending -> finished: two writes, none lost and none applied twice
            assertThat(step.version()).as(step.name() + " version").isEqualTo(2);
            assertThat(step.attempts()).as(step.name() + " failed attempts").isZero();
            pipelineMetadata.put(step.name(), runs[0]);
        }
        assertThat(pipeline.metadata()).isEqualTo(pipelineMetadata);
    }

    /** @return how often each hook is expected to run: twice for {@code twice}, once for the others */
    private static Map<String, Integer> onceEach(String... twice) {
        Map<String, Integer> expected = new TreeMap<>();
        HOOKS.forEach(hook -> expected.put(hook, 1));
        for (String hook : twice) {
            expected.put(hook, 2);
        }
        return expected;
    }

    private static Predicate<List<? extends StoredRecord>> writing(String step, Status status) {
        return records -> records.stream()
                .anyMatch(r -> r instanceof StepRecord s && s.name().equals(step) && s.status() == status);
    }

    /** @return true once close() has begun: a closing orchestrator refuses new passes */
    private static boolean isClosing(Orchestrator orchestrator) {
        try {
            orchestrator.executePipelines();
            return false;
        } catch (IllegalStateException closed) {
            return true;
        }
    }

    private PipelineRecord pipeline(UUID id) {
        return store.get(Model.PIPELINE, id).orElseThrow();
    }

    private Orchestrator orchestrator(Process process, IRepository repository) {
        return new Orchestrator(OrchestratorConfig.builder().repository(repository).register(ThreeSteps.class)
                .stepFactory(type -> {
                    process.haltIfDead();
                    return type.getConstructor(Process.class).newInstance(process);
                })
                .orchestratorId(process.name).clock(clock).claimDuration(CLAIM).workerThreads(2)
                .shutdownTimeout(Duration.ofSeconds(5)).build());
    }

    /** One orchestrator's process: its hooks record themselves under its name, and it can die (if it has a store). */
    static final class Process {
        final String name;
        final MortalRepository store;
        final Ledger ledger;
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        private final CountDownLatch buried = new CountDownLatch(1);
        /** "Step.hook" inside which the process dies, after the hook wrote its metadata. */
        volatile String dieInside = "";
        /** "Step.hook" that waits, after writing its metadata, until the test counts {@link #released} down. */
        volatile String holdInside = "";

        Process(String name, MortalRepository store, Ledger ledger) {
            this.name = name;
            this.store = store;
            this.ledger = ledger;
        }

        String record(StepContext ctx, String hook) throws InterruptedException {
            haltIfDead();
            return ledger.record(ctx.pipelineId(), ctx.stepName() + "." + hook, name);
        }

        void reached(StepContext ctx, String hook) throws InterruptedException {
            String here = ctx.stepName() + "." + hook;
            if (here.equals(holdInside)) {
                held.countDown();
                released.await();
            }
            if (here.equals(dieInside)) {
                store.die();
                haltIfDead();
            }
        }

        /** A dead process runs nothing more: its threads stop where they are until the test ends. */
        void haltIfDead() throws InterruptedException {
            if (store != null && store.isDead()) {
                buried.await();
                throw new IllegalStateException("process " + name + " is dead");
            }
        }

        void bury() {
            buried.countDown();
        }
    }

    /** Every hook call, in order: pipeline, "Step.hook", and the process that ran it. Thread-safe. */
    static final class Ledger {
        private record Call(UUID pipelineId, String hook, String process) {
        }

        private final List<Call> calls = new ArrayList<>();

        /** @return the run's name, such as "B#2" for the second run of this hook of this pipeline, on B */
        synchronized String record(UUID pipelineId, String hook, String process) {
            calls.add(new Call(pipelineId, hook, process));
            long nth = calls.stream().filter(c -> c.pipelineId().equals(pipelineId) && c.hook().equals(hook)).count();
            return process + "#" + nth;
        }

        /** @return the hooks of the pipeline that {@code process} ran, in order */
        synchronized List<String> calls(UUID pipelineId, String process) {
            return calls.stream().filter(c -> c.pipelineId().equals(pipelineId) && c.process().equals(process))
                    .map(Call::hook).toList();
        }

        /** @return how often each hook of the pipeline ran, on any process */
        synchronized Map<String, Integer> timesRun(UUID pipelineId) {
            Map<String, Integer> times = new TreeMap<>();
            calls.stream().filter(c -> c.pipelineId().equals(pipelineId)).forEach(c -> times.merge(c.hook(), 1,
                    Integer::sum));
            return times;
        }
    }
}
