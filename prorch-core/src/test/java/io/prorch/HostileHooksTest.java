package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.InMemoryRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hooks that misbehave in exotic ways (an Error, an exception that cannot be printed, a cyclic cause, a 1 MB
 * message, a hook deaf to interrupts) fail only their own pipeline, with a bounded error that names the throwable;
 * the pipelines beside them finish in the same passes.
 */
class HostileHooksTest {
    /** {@code ErrorSummary.MAX_LENGTH}, written out so that raising the bound is a visible decision. */
    private static final int MAX_STORED_ERROR = 4_000;
    private static final int NORMAL_PIPELINES = 20;

    static volatile CountDownLatch deafEntered = new CountDownLatch(1);
    static volatile CountDownLatch release = new CountDownLatch(1);
    static volatile CountDownLatch deafReturned = new CountDownLatch(1);

    /** Waits for one pass, so the step after it runs inside a pass, where the summary can report it. */
    @Step(name = "Gate")
    public static class Gate implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            if (ctx.metadata().getBoolean("seen", false)) {
                ctx.finish();
            }
            ctx.metadata().put("seen", true);
        }
    }

    @Step(name = "Work")
    public static class Work implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.metadata().put("n", ctx.pipelineMetadata().getLong("n"));
        }
    }

    /** A custom VirtualMachineError, as alarming to a catch block as an OutOfMemoryError. */
    static class MeltdownError extends VirtualMachineError {
        MeltdownError(String message) {
            super(message);
        }
    }

    @Step(name = "ThrowsVmError", maxAttempts = 2, initialBackoffMillis = 1000)
    public static class ThrowsVmError implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.metadata().put("junk", true);
            throw new MeltdownError("the heap is on fire");
        }
    }

    /** Recurses until the JVM throws a real StackOverflowError. */
    @Step(name = "OverflowsStack", maxAttempts = 2, initialBackoffMillis = 1000)
    public static class OverflowsStack implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            recurse(1);
        }

        private static long recurse(long depth) {
            return depth + recurse(depth + 1);
        }
    }

    /** An exception whose message and text cannot be read. */
    static class UnprintableException extends RuntimeException {
        @Override
        public String getMessage() {
            throw new UnsupportedOperationException("no message for you");
        }

        @Override
        public String getLocalizedMessage() {
            throw new UnsupportedOperationException("no localized message either");
        }

        @Override
        public String toString() {
            throw new UnsupportedOperationException("no toString either");
        }
    }

    @Step(name = "ThrowsUnprintable", maxAttempts = 2, initialBackoffMillis = 1000)
    public static class ThrowsUnprintable implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            throw new UnprintableException();
        }
    }

    /** Throws an exception whose cause chain loops back to itself: outer -> inner -> outer. */
    @Step(name = "ThrowsCyclicCause", maxAttempts = 2, initialBackoffMillis = 1000)
    public static class ThrowsCyclicCause implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            IllegalStateException outer = new IllegalStateException("outer");
            IllegalArgumentException inner = new IllegalArgumentException("inner", outer);
            outer.initCause(inner);
            throw outer;
        }
    }

    @Step(name = "ThrowsHugeMessage", maxAttempts = 2, initialBackoffMillis = 1000)
    public static class ThrowsHugeMessage implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            throw new IllegalStateException("x".repeat(1 << 20));
        }
    }

    /** An exception whose getMessage() calls itself by mistake: reading it throws a real StackOverflowError. */
    static class SelfReferentialException extends RuntimeException {
        @Override
        public String getMessage() {
            return "see " + getMessage();
        }
    }

    @Step(name = "ThrowsSelfReferential", maxAttempts = 1)
    public static class ThrowsSelfReferential implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            throw new SelfReferentialException();
        }
    }

    /** Ignores interrupts and outlives its 200 ms timeout until the test releases it; then writes metadata. */
    @Step(name = "IgnoresInterrupts", timeoutMillis = 200, maxAttempts = 1)
    public static class IgnoresInterrupts implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            deafEntered.countDown();
            try {
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        // deliberately deaf to the watchdog
                    }
                }
                ctx.metadata().put("late", true);
            } finally {
                deafReturned.countDown();
            }
        }
    }

    @Pipeline(name = "Normal", steps = {Gate.class, Work.class})
    public static class Normal {
    }

    @Pipeline(name = "VmErrorPipeline", steps = {Gate.class, ThrowsVmError.class})
    public static class VmErrorPipeline {
    }

    @Pipeline(name = "StackOverflowPipeline", steps = {Gate.class, OverflowsStack.class})
    public static class StackOverflowPipeline {
    }

    @Pipeline(name = "UnprintablePipeline", steps = {Gate.class, ThrowsUnprintable.class})
    public static class UnprintablePipeline {
    }

    @Pipeline(name = "CyclicCausePipeline", steps = {Gate.class, ThrowsCyclicCause.class})
    public static class CyclicCausePipeline {
    }

    @Pipeline(name = "HugeMessagePipeline", steps = {Gate.class, ThrowsHugeMessage.class})
    public static class HugeMessagePipeline {
    }

    @Pipeline(name = "SelfReferentialPipeline", steps = {Gate.class, ThrowsSelfReferential.class})
    public static class SelfReferentialPipeline {
    }

    @Pipeline(name = "DeafPipeline", steps = {Gate.class, IgnoresInterrupts.class})
    public static class DeafPipeline {
    }

    private final SettableClock clock = new SettableClock();
    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
            .repository(InMemoryRepository.create())
            .register(Normal.class, VmErrorPipeline.class, StackOverflowPipeline.class, UnprintablePipeline.class,
                    CyclicCausePipeline.class, HugeMessagePipeline.class, SelfReferentialPipeline.class,
                    DeafPipeline.class)
            .clock(clock).workerThreads(4).build());

    @BeforeEach
    void resetLatches() {
        deafEntered = new CountDownLatch(1);
        release = new CountDownLatch(1);
        deafReturned = new CountDownLatch(1);
    }

    @AfterEach
    void releaseAndClose() {
        release.countDown();
        orchestrator.close();
    }

    @Test
    @Timeout(30)
    void exoticHooksFailOnlyTheirOwnPipelineWithABoundedErrorWhileTwentyOthersFinish() throws Exception {
        List<UUID> normal = new ArrayList<>();
        for (int i = 0; i < NORMAL_PIPELINES / 2; i++) {
            normal.add(orchestrator.start(Normal.class, Map.of("n", i)));
        }
        Map<UUID, String> retried = new LinkedHashMap<>();   // pipeline id -> the type its hook throws
        retried.put(orchestrator.start(VmErrorPipeline.class), MeltdownError.class.getName());
        retried.put(orchestrator.start(StackOverflowPipeline.class), StackOverflowError.class.getName());
        retried.put(orchestrator.start(UnprintablePipeline.class), UnprintableException.class.getName());
        retried.put(orchestrator.start(CyclicCausePipeline.class), IllegalStateException.class.getName());
        retried.put(orchestrator.start(HugeMessagePipeline.class), IllegalStateException.class.getName());
        UUID deaf = orchestrator.start(DeafPipeline.class);
        for (int i = NORMAL_PIPELINES / 2; i < NORMAL_PIPELINES; i++) {
            normal.add(orchestrator.start(Normal.class, Map.of("n", i)));
        }
        assertThat(orchestrator.awaitIdle(Duration.ofSeconds(10))).isTrue();

        // when: the first pass runs every hostile hook once, and the deaf one past its timeout
        clock.advance(Duration.ofSeconds(1));
        CompletableFuture<PassSummary> running = CompletableFuture.supplyAsync(orchestrator::executePipelines);
        assertThat(deafEntered.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        PassSummary first = running.get(10, TimeUnit.SECONDS);

        // then: the others finished in that pass; each hostile one is reported by id
        assertThat(first.finished()).isEqualTo(NORMAL_PIPELINES);
        assertThat(first.failed()).as("the deaf hook has one attempt").isEqualTo(1);
        assertThat(first.waiting()).as("the throwing hooks have a second attempt").isEqualTo(retried.size());
        assertThat(first.skipped()).isZero();
        assertThat(first.problems()).extracting(PassSummary.Problem::pipelineId)
                .containsExactlyInAnyOrderElementsOf(concat(retried.keySet(), deaf));
        assertThat(first.problems()).allSatisfy(p -> assertThat(p.message()).hasSizeLessThanOrEqualTo(MAX_STORED_ERROR));
        for (UUID id : normal) {
            PipelineView view = orchestrator.find(id).orElseThrow();
            assertThat(view.status()).isEqualTo(Status.FINISHED);
            assertThat(view.lastError()).isNull();
        }
        assertFailedWith(deaf, "IgnoresInterrupts", "java.util.concurrent.TimeoutException", 1);

        // when: the second attempts are due
        clock.advance(Duration.ofSeconds(5));
        PassSummary second = orchestrator.executePipelines();

        // then: every throwing hook used up its attempts and its pipeline failed
        assertThat(second.failed()).isEqualTo(retried.size());
        assertThat(second.finished()).isZero();
        assertThat(second.problems()).extracting(PassSummary.Problem::pipelineId)
                .containsExactlyInAnyOrderElementsOf(retried.keySet());
        assertThat(second.problems()).allSatisfy(p -> assertThat(p.message()).hasSizeLessThanOrEqualTo(MAX_STORED_ERROR));
        retried.forEach((id, type) -> assertFailedWith(id, null, type, 2));
    }

    @Test
    @Timeout(30)
    void theErrorsOfExoticThrowablesAreReadable() throws Exception {
        UUID unprintable = orchestrator.start(UnprintablePipeline.class);
        UUID cyclic = orchestrator.start(CyclicCausePipeline.class);
        UUID huge = orchestrator.start(HugeMessagePipeline.class);
        UUID vmError = orchestrator.start(VmErrorPipeline.class);
        assertThat(orchestrator.awaitIdle(Duration.ofSeconds(10))).isTrue();

        // when
        clock.advance(Duration.ofSeconds(1));
        orchestrator.executePipelines();

        // then
        assertThat(stepError(unprintable)).startsWith(UnprintableException.class.getName()
                + ": <getMessage() threw java.lang.UnsupportedOperationException>");
        assertThat(stepError(cyclic)).startsWith("java.lang.IllegalStateException: outer")
                .containsOnlyOnce("Caused by: java.lang.IllegalArgumentException: inner")
                .doesNotContain("Caused by: java.lang.IllegalStateException");
        assertThat(stepError(huge)).startsWith("java.lang.IllegalStateException: xxx")
                .hasSizeLessThanOrEqualTo(MAX_STORED_ERROR);
        assertThat(orchestrator.find(huge).orElseThrow().lastError()).hasSizeLessThan(1_200);
        PipelineView meltdown = orchestrator.find(vmError).orElseThrow();
        assertThat(meltdown.steps().get(1).lastError()).startsWith(MeltdownError.class.getName() + ": the heap is on fire")
                .contains("at io.prorch.HostileHooksTest$ThrowsVmError.onStart");
        assertThat(meltdown.steps().get(1).metadata()).as("what a failed attempt wrote is discarded")
                .doesNotContainKey("junk");
    }

    @Test
    @Timeout(30)
    void anExceptionWhoseGetMessageThrowsAnErrorStillFailsItsPipelineOnItsOnlyAttempt() throws Exception {
        UUID selfReferential = orchestrator.start(SelfReferentialPipeline.class);
        UUID other = orchestrator.start(Normal.class, Map.of("n", 1));
        assertThat(orchestrator.awaitIdle(Duration.ofSeconds(10))).isTrue();

        // when
        clock.advance(Duration.ofSeconds(1));
        PassSummary pass = orchestrator.executePipelines();

        // then
        assertThat(pass.finished()).isEqualTo(1);
        assertThat(orchestrator.find(other).orElseThrow().status()).isEqualTo(Status.FINISHED);
        assertThat(pass.problems()).singleElement().satisfies(p -> {
            assertThat(p.pipelineId()).isEqualTo(selfReferential);
            assertThat(p.message()).contains(SelfReferentialException.class.getName())
                    .hasSizeLessThanOrEqualTo(MAX_STORED_ERROR);
        });
        assertThat(pass.failed()).as("maxAttempts = 1: failed in this pass, not skipped").isEqualTo(1);
        assertFailedWith(selfReferential, "ThrowsSelfReferential", SelfReferentialException.class.getName(), 1);
        assertThat(stepError(selfReferential)).contains("<getMessage() threw java.lang.StackOverflowError>");
    }

    @Test
    @Timeout(30)
    void theLateResultOfAHookDeafToInterruptsIsDiscardedAndItsWorkerComesBack() throws Exception {
        UUID deaf = orchestrator.start(DeafPipeline.class);
        assertThat(orchestrator.awaitIdle(Duration.ofSeconds(10))).isTrue();
        clock.advance(Duration.ofSeconds(1));
        CompletableFuture<PassSummary> running = CompletableFuture.supplyAsync(orchestrator::executePipelines);
        assertThat(deafEntered.await(10, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(running.get(10, TimeUnit.SECONDS).failed()).isEqualTo(1);

        // when: the hook finally returns, with metadata
        release.countDown();
        assertThat(deafReturned.await(10, TimeUnit.SECONDS)).isTrue();
        orchestrator.close();

        // then
        PipelineView view = orchestrator.find(deaf).orElseThrow();
        assertThat(view.status()).isEqualTo(Status.FAILED);
        assertThat(view.steps().get(1).metadata()).doesNotContainKey("late");
        assertThat(view.steps().get(1).attempts()).isEqualTo(1);
    }

    private void assertFailedWith(UUID id, String step, String type, int attempts) {
        PipelineView view = orchestrator.find(id).orElseThrow();
        assertThat(view.status()).as("pipeline %s", id).isEqualTo(Status.FAILED);
        assertThat(view.claimOwner()).isNull();
        assertThat(view.dueAt()).isNull();
        assertThat(view.lastError()).isNotNull().contains(type)
                .contains("failed after " + attempts + " attempt").hasSizeLessThanOrEqualTo(MAX_STORED_ERROR);
        if (step != null) {
            assertThat(view.lastError()).contains("Step \"" + step + "\"");
        }
        StepView failed = view.steps().get(1);
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.attempts()).isEqualTo(attempts);
        assertThat(failed.lastError()).isNotNull().contains(type).hasSizeLessThanOrEqualTo(MAX_STORED_ERROR);
        assertThat(view.steps().get(0).status()).isEqualTo(Status.FINISHED);
    }

    private String stepError(UUID id) {
        return orchestrator.find(id).orElseThrow().steps().get(1).lastError();
    }

    private static List<UUID> concat(java.util.Collection<UUID> ids, UUID more) {
        List<UUID> all = new ArrayList<>(ids);
        all.add(more);
        return all;
    }
}
