package io.prorch.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.ClaimedPipeline;
import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.test.ForwardingRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real pipelines on the in-memory store, driven with a settable clock; the meters are read back by name and tags. */
class MicrometerListenerTest {

    /** Finishes as soon as it is entered. */
    @Step(name = "Quick")
    public static class Quick implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
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

    /** Throws on every attempt, so it fails after its second. */
    @Step(name = "Doomed", maxAttempts = 2, initialBackoffMillis = 1000)
    public static class Doomed implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            throw new IllegalStateException("always");
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

    @Pipeline(name = "Good", steps = {Quick.class, Bumpy.class})
    public static class Good {
    }

    @Pipeline(name = "Bad", steps = {Quick.class, Doomed.class})
    public static class Bad {
    }

    @Pipeline(name = "Refused", steps = Refuser.class)
    public static class Refused {
    }

    /** A store whose next group write fails once, when asked to. */
    static final class FailingOnce extends ForwardingRepository {
        final AtomicBoolean failNext = new AtomicBoolean();

        @Override
        public List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
            if (failNext.compareAndSet(true, false)) {
                throw new IllegalStateException("the database went away");
            }
            return super.updateAll(records);
        }
    }

    private final SettableClock clock = new SettableClock();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private Orchestrator orchestrator;

    private Orchestrator orchestrator(IRepository repository, MicrometerListener listener) {
        orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(Good.class, Bad.class, Refused.class).clock(clock).listener(listener).build());
        return orchestrator;
    }

    @AfterEach
    void close() {
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    private void passes(int count) {
        for (int i = 0; i < count; i++) {
            clock.advance(Duration.ofSeconds(5));
            orchestrator.executePipelines();
        }
    }

    private double transitions(String pipeline, String step, String type) {
        return registry.get("prorch.transitions").tags("pipeline", pipeline, "step", step, "type", type).counter()
                .count();
    }

    private long hookCalls(String pipeline, String step, String hook, String outcome) {
        return registry.get("prorch.hook.duration")
                .tags("pipeline", pipeline, "step", step, "hook", hook, "outcome", outcome).timer().count();
    }

    @Test
    void countsEveryTransitionByPipelineStepAndTypeIncludingARetryAndFailures() throws Exception {
        orchestrator(InMemoryRepository.create(), MicrometerListener.create(registry));
        UUID good = orchestrator.start(Good.class);
        orchestrator.start(Good.class);
        UUID bad = orchestrator.start(Bad.class);
        orchestrator.start(Refused.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        passes(4);
        assertThat(orchestrator.find(good).orElseThrow().status()).isEqualTo(Status.FINISHED);
        assertThat(orchestrator.find(bad).orElseThrow().status()).isEqualTo(Status.FAILED);

        assertThat(transitions("Good", "none", "pipeline_started")).isEqualTo(2);
        assertThat(transitions("Good", "Quick", "step_started")).isEqualTo(2);
        assertThat(transitions("Good", "Quick", "step_finished")).isEqualTo(2);
        assertThat(transitions("Good", "Bumpy", "step_retrying")).isEqualTo(2);
        assertThat(transitions("Good", "Bumpy", "step_started")).isEqualTo(2);
        assertThat(transitions("Good", "Bumpy", "step_waiting")).isEqualTo(2);
        assertThat(transitions("Good", "Bumpy", "step_finished")).isEqualTo(2);
        assertThat(transitions("Good", "none", "pipeline_finished")).isEqualTo(2);
        // a step that throws on every attempt: one retry, then failed, and its pipeline with it
        assertThat(transitions("Bad", "Doomed", "step_retrying")).isEqualTo(1);
        assertThat(transitions("Bad", "Doomed", "step_failed")).isEqualTo(1);
        assertThat(transitions("Bad", "none", "pipeline_failed")).isEqualTo(1);
        // a step that fails by its own decision
        assertThat(transitions("Refused", "Refuser", "step_failed")).isEqualTo(1);
        assertThat(transitions("Refused", "none", "pipeline_failed")).isEqualTo(1);
        assertThat(registry.find("prorch.transitions").tag("type", "pipeline_cancelled").counters()).isEmpty();
    }

    @Test
    void timesEveryHookCallByStepHookAndOutcome() throws Exception {
        orchestrator(InMemoryRepository.create(), MicrometerListener.create(registry));
        orchestrator.start(Good.class);
        orchestrator.start(Bad.class);
        orchestrator.start(Refused.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        passes(4);

        assertThat(hookCalls("Good", "Quick", "onStart", "waiting")).isEqualTo(1);
        assertThat(hookCalls("Good", "Bumpy", "onStart", "threw")).isEqualTo(1);
        assertThat(hookCalls("Good", "Bumpy", "onStart", "waiting")).isEqualTo(1);
        assertThat(hookCalls("Good", "Bumpy", "onContinue", "waiting")).isEqualTo(1);
        assertThat(hookCalls("Good", "Bumpy", "onContinue", "decided")).isEqualTo(1);
        assertThat(hookCalls("Bad", "Doomed", "onStart", "threw")).isEqualTo(2);
        assertThat(hookCalls("Refused", "Refuser", "onStart", "decided")).isEqualTo(1);
        assertThat(registry.get("prorch.hook.duration").timers())
                .allSatisfy(t -> assertThat(t.totalTime(TimeUnit.NANOSECONDS)).isPositive());
    }

    @Test
    void countsClaimsAndGroupWritesWithTheirSizeAndWhetherTheyCommitted() throws Exception {
        FailingOnce store = new FailingOnce();
        orchestrator(store, MicrometerListener.create(registry));
        // every meter without a pipeline tag exists from the start, so a dashboard shows 0 rather than nothing
        assertThat(registry.get("prorch.claims").counter().count()).isZero();
        assertThat(registry.get("prorch.commits").tag("committed", "false").summary().count()).isZero();

        orchestrator.start(Good.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        passes(1);
        assertThat(registry.get("prorch.claims").counter().count()).isEqualTo(1);
        assertThat(registry.get("prorch.commits").tag("committed", "false").summary().count()).isZero();
        store.failNext.set(true);
        passes(1);

        assertThat(registry.get("prorch.claims").counter().count()).isEqualTo(2);
        var committed = registry.get("prorch.commits").tag("committed", "true").summary();
        assertThat(committed.count()).isPositive();
        assertThat(committed.totalAmount()).isGreaterThanOrEqualTo(committed.count());
        assertThat(registry.get("prorch.commits").tag("committed", "false").summary().count()).isEqualTo(1);
        assertThat(registry.get("prorch.commit.duration").tag("committed", "false").timer().count()).isEqualTo(1);
        assertThat(registry.get("prorch.commit.duration").tag("committed", "true").timer().count())
                .isEqualTo(committed.count());
    }

    @Test
    void timesTheClaimLagFromEachPipelinesDueTimeToItsClaim() throws Exception {
        orchestrator(InMemoryRepository.create(), MicrometerListener.create(registry));
        assertThat(registry.get("prorch.claim.lag").timer().count()).isZero();
        UUID first = orchestrator.start(Good.class);
        UUID second = orchestrator.start(Good.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        // both wait for their retry of Bumpy, due one backoff later; the clock stands still while they run
        Instant due = orchestrator.find(first).orElseThrow().dueAt();
        assertThat(orchestrator.find(second).orElseThrow().dueAt()).isEqualTo(due);

        clock.set(due.plusSeconds(7));
        orchestrator.executePipelines();

        Timer lag = registry.get("prorch.claim.lag").timer();
        assertThat(lag.count()).isEqualTo(2);
        assertThat(lag.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(14_000);
        assertThat(registry.get("prorch.claims").counter().count()).isEqualTo(2);
    }

    @Test
    void aStoreThatDoesNotTellDueTimesRecordsNoLagButStillCountsClaims() throws Exception {
        // ForwardingRepository implements claimDue only: the default claimDueWithDueTimes knows no due times
        orchestrator(new ForwardingRepository(InMemoryRepository.create()), MicrometerListener.create(registry));
        orchestrator.start(Good.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        passes(1);

        assertThat(registry.get("prorch.claims").counter().count()).isEqualTo(1);
        assertThat(registry.get("prorch.claim.lag").timer().count()).isZero();
    }

    @Test
    void anOrchestratorWithoutListenersAsksTheStoreForNoDueTimes() throws Exception {
        AtomicInteger withDueTimes = new AtomicInteger();
        AtomicInteger plain = new AtomicInteger();
        IRepository store = new ForwardingRepository(InMemoryRepository.create()) {
            @Override
            public List<PipelineRecord> claimDue(ClaimRequest request) {
                plain.incrementAndGet();
                return super.claimDue(request);
            }

            @Override
            public List<ClaimedPipeline> claimDueWithDueTimes(ClaimRequest request) {
                withDueTimes.incrementAndGet();
                return super.claimDueWithDueTimes(request);
            }
        };
        orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(store).register(Good.class)
                .clock(clock).build());
        orchestrator.start(Good.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        passes(2);

        assertThat(plain.get()).isPositive();
        assertThat(withDueTimes.get()).isZero();
    }

    @Test
    void noMeterIsTaggedWithAPipelineId() throws Exception {
        orchestrator(InMemoryRepository.create(), MicrometerListener.create(registry));
        Set<String> ids = Set.of(orchestrator.start(Good.class).toString(), orchestrator.start(Bad.class).toString());
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        passes(4);

        Set<String> tagValues = registry.getMeters().stream().map(Meter::getId)
                .flatMap(id -> id.getTags().stream()).map(Tag::getValue).collect(Collectors.toSet());
        assertThat(tagValues).isNotEmpty().doesNotContainAnyElementsOf(ids);
        assertThat(registry.getMeters().stream().flatMap(m -> m.getId().getTags().stream()).map(Tag::getKey))
                .containsOnly("pipeline", "step", "type", "hook", "outcome", "committed");
    }

    @Test
    void aPrefixAndExtraTagsApplyToEveryMeter() throws Exception {
        orchestrator(InMemoryRepository.create(), MicrometerListener.builder(registry).prefix("billing.prorch")
                .tags(Tags.of("orchestrator", "billing")).build());
        orchestrator.start(Refused.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));

        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(m -> {
            assertThat(m.getId().getName()).startsWith("billing.prorch.");
            assertThat(m.getId().getTag("orchestrator")).isEqualTo("billing");
        });
        assertThat(registry.get("billing.prorch.transitions").tags("pipeline", "Refused", "type", "pipeline_failed")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void badOptionsAreRefusedWithWhatToDo() {
        MicrometerListener.Builder builder = MicrometerListener.builder(registry);

        assertThatThrownBy(() -> builder.tags(Tags.of("pipeline", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"pipeline\"").hasMessageContaining("choose another key");
        assertThatThrownBy(() -> builder.prefix("prorch."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"prorch.\"");
        assertThatThrownBy(() -> MicrometerListener.create(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("registry");
    }
}
