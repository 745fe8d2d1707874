package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.InMemoryRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Interceptors wrap every hook call on its own thread, nested in order; a broken one fails the attempt, not more. */
class HookInterceptorTest {
    static final List<String> TRAIL = new CopyOnWriteArrayList<>();

    /** Notes its call and the thread it ran on. */
    @Step(name = "Noted", maxAttempts = 2, initialBackoffMillis = 1000)
    public static class Noted implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            TRAIL.add("hook on " + Thread.currentThread().getName());
        }
    }

    @Pipeline(name = "Noting", steps = Noted.class)
    public static class Noting {
    }

    private final SettableClock clock = new SettableClock();

    private Orchestrator orchestrator(HookInterceptor... interceptors) {
        OrchestratorConfig.Builder config = OrchestratorConfig.builder().repository(InMemoryRepository.create())
                .register(Noting.class).clock(clock);
        for (HookInterceptor interceptor : interceptors) {
            config.interceptor(interceptor);
        }
        return new Orchestrator(config.build());
    }

    private static HookInterceptor named(String name) {
        return (hook, proceed) -> {
            TRAIL.add(name + " before " + hook.stepName() + "." + hook.hook() + "#" + hook.attempt() + " on "
                    + Thread.currentThread().getName());
            try {
                proceed.proceed();
            } finally {
                TRAIL.add(name + " after");
            }
        };
    }

    @Test
    void interceptorsNestInTheOrderAddedAroundTheHookOnItsOwnThread() throws Exception {
        TRAIL.clear();
        try (Orchestrator orchestrator = orchestrator(named("outer"), named("inner"))) {
            UUID id = orchestrator.start(Noting.class);
            orchestrator.awaitIdle(Duration.ofSeconds(10));

            assertThat(orchestrator.find(id).orElseThrow().status()).isEqualTo(Status.FINISHED);
        }
        String thread = TRAIL.get(2).substring("hook on ".length());
        assertThat(thread).startsWith("prorch-worker");
        assertThat(TRAIL).containsExactly("outer before Noted.onStart#1 on " + thread,
                "inner before Noted.onStart#1 on " + thread, "hook on " + thread, "inner after", "outer after");
    }

    @Test
    void anInterceptorThatThrowsOrDoesNotProceedFailsTheAttemptWithItsReason() throws Exception {
        TRAIL.clear();
        HookInterceptor skipper = (hook, proceed) -> {
        };
        HookInterceptor thrower = (hook, proceed) -> {
            throw new IllegalStateException("no tracer today");
        };
        for (HookInterceptor broken : List.of(skipper, thrower)) {
            try (Orchestrator orchestrator = orchestrator(broken)) {
                UUID id = orchestrator.start(Noting.class);
                orchestrator.awaitIdle(Duration.ofSeconds(10));
                clock.advance(Duration.ofSeconds(5));
                orchestrator.executePipelines();

                PipelineView view = orchestrator.find(id).orElseThrow();
                assertThat(view.status()).isEqualTo(Status.FAILED);
                assertThat(view.steps().get(0).attempts()).isEqualTo(2);
                assertThat(view.steps().get(0).lastError()).containsAnyOf(
                        "returned without calling proceed() for onStart of step \"Noted\"", "no tracer today");
            }
        }
        assertThat(TRAIL).as("the hook never ran").isEmpty();
    }
}
