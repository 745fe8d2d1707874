package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.PipelineEvent.Type;
import io.prorch.repository.InMemoryRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Listeners hear every committed transition in order, hooks, claims and commits; one that throws changes nothing. */
class ListenerTest {
    static final List<String> MDC_SEEN = new CopyOnWriteArrayList<>();

    /** Finishes at once, noting the MDC keys it sees and logging a line of its own. */
    @Step(name = "Quick")
    public static class Quick implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            MDC_SEEN.add(MDC.get("prorch.pipeline") + "/" + MDC.get("prorch.step") + "/" + MDC.get("prorch.attempt"));
            org.slf4j.LoggerFactory.getLogger(Quick.class).info("quick step ran");
        }
    }

    /** Fails its first attempt, then waits once, then finishes. */
    @Step(name = "Bumpy", maxAttempts = 3, initialBackoffMillis = 1000)
    public static class Bumpy implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            if (ctx.attempt() == 1) {
                throw new IllegalStateException("not yet");
            }
        }

        @Override
        public void onContinue(StepContext ctx) {
            if (ctx.metadata().getBoolean("seen", false)) {
                ctx.finish();
            }
            ctx.metadata().put("seen", true);
        }
    }

    /** Fails by its own decision. */
    @Step(name = "Refuser")
    public static class Refuser implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.fail("no thanks");
        }
    }

    /** Waits until cancelled. */
    @Step(name = "Forever")
    public static class Forever implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
        }
    }

    @Pipeline(name = "Good", steps = {Quick.class, Bumpy.class})
    public static class Good {
    }

    @Pipeline(name = "Bad", steps = Refuser.class)
    public static class Bad {
    }

    @Pipeline(name = "Endless", steps = Forever.class)
    public static class Endless {
    }

    /** Records everything it hears. */
    static final class Recorder implements PipelineListener {
        final List<PipelineEvent> events = new CopyOnWriteArrayList<>();
        final List<String> hooks = new CopyOnWriteArrayList<>();
        final List<Integer> claims = new CopyOnWriteArrayList<>();
        final List<Duration> lags = new CopyOnWriteArrayList<>();
        final List<Boolean> commits = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(PipelineEvent event) {
            events.add(event);
        }

        @Override
        public void onHook(String pipelineName, String stepName, String hook, Duration duration, String outcome) {
            assertThat(duration.isNegative()).isFalse();
            hooks.add(stepName + "." + hook + ":" + outcome);
        }

        @Override
        public void onClaim(int count) {
            claims.add(count);
        }

        @Override
        public void onClaimed(String pipelineName, Instant dueAt, Instant claimedAt) {
            lags.add(Duration.between(dueAt, claimedAt));   // the in-memory store tells every due time
        }

        @Override
        public void onCommit(int transitions, Duration duration, boolean committed) {
            commits.add(committed);
        }

        List<String> of(UUID id) {
            return events.stream().filter(e -> e.pipelineId().equals(id))
                    .map(e -> e.type() + (e.stepName() == null ? "" : " " + e.stepName() + "#" + e.attempt()))
                    .toList();
        }
    }

    private final SettableClock clock = new SettableClock();
    private final Recorder recorder = new Recorder();
    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
            .repository(InMemoryRepository.create()).register(Good.class, Bad.class, Endless.class).clock(clock)
            .listener(new PipelineListener() {
                @Override
                public void onEvent(PipelineEvent event) {
                    throw new IllegalStateException("a broken listener");
                }

                @Override
                public void onHook(String pipeline, String step, String hook, Duration duration, String outcome) {
                    throw new IllegalStateException("a broken listener");
                }
            })
            .listener(recorder).build());

    @AfterEach
    void close() {
        orchestrator.close();
        MDC_SEEN.clear();
    }

    private void passes(int count) {
        for (int i = 0; i < count; i++) {
            clock.advance(Duration.ofSeconds(5));
            orchestrator.executePipelines();
        }
    }

    @Test
    void everyCommittedTransitionIsToldInOrderDespiteABrokenListener() throws Exception {
        UUID good = orchestrator.start(Good.class);
        UUID bad = orchestrator.start(Bad.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        passes(3);

        assertThat(orchestrator.find(good).orElseThrow().status()).isEqualTo(Status.FINISHED);
        assertThat(recorder.of(good)).containsExactly(
                "PIPELINE_STARTED",
                "STEP_STARTED Quick#1", "STEP_FINISHED Quick#1",
                "STEP_RETRYING Bumpy#1",
                "STEP_STARTED Bumpy#2",
                "STEP_WAITING Bumpy#2",
                "STEP_FINISHED Bumpy#2", "PIPELINE_FINISHED");
        assertThat(recorder.of(bad)).containsExactly("PIPELINE_STARTED", "STEP_STARTED Refuser#1",
                "STEP_FAILED Refuser#1", "PIPELINE_FAILED");
        assertThat(recorder.events.stream().filter(e -> e.type() == Type.PIPELINE_FAILED).findFirst().orElseThrow()
                .error()).contains("no thanks");
        assertThat(recorder.events.stream().filter(e -> e.type() == Type.STEP_RETRYING).findFirst().orElseThrow()
                .error()).contains("IllegalStateException: not yet");
        assertThat(recorder.hooks).contains("Quick.onStart:waiting", "Bumpy.onStart:threw", "Bumpy.onStart:waiting",
                "Bumpy.onContinue:waiting", "Bumpy.onContinue:decided", "Refuser.onStart:decided");
        assertThat(recorder.claims).isNotEmpty().allSatisfy(n -> assertThat(n).isPositive());
        // one due time per claimed pipeline, none after its claim
        assertThat(recorder.lags).hasSize(recorder.claims.stream().mapToInt(Integer::intValue).sum())
                .allSatisfy(lag -> assertThat(lag.isNegative()).isFalse());
        assertThat(recorder.commits).isNotEmpty().containsOnly(true);
    }

    @Test
    void aCancelFromOutsideIsTold() throws Exception {
        UUID id = orchestrator.start(Endless.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));

        orchestrator.cancel(id, "operator");

        assertThat(recorder.of(id)).containsExactly("PIPELINE_STARTED", "STEP_STARTED Forever#1",
                "STEP_CANCELLED Forever#1", "PIPELINE_CANCELLED");
    }

    @Test
    void hooksSeeThePipelineTheStepAndTheAttemptInTheMdcAndNothingLeaksAfter() throws Exception {
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Quick.class);
        logger.addAppender(captured);
        try {
            UUID id = orchestrator.start(Good.class, Map.of());
            orchestrator.awaitIdle(Duration.ofSeconds(10));

            assertThat(MDC_SEEN).containsExactly(id + "/Quick/1");
            assertThat(MDC.get("prorch.pipeline")).isNull();
            // the user's own log line carries the keys, as a log pattern with %mdc prints them
            assertThat(captured.list).singleElement().satisfies(line -> assertThat(line.getMDCPropertyMap())
                    .containsEntry("prorch.pipeline", id.toString()).containsEntry("prorch.step", "Quick")
                    .containsEntry("prorch.attempt", "1"));
        } finally {
            logger.detachAppender(captured);
        }
    }
}
