package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.InMemoryRepository;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The public entry points of compensation and child pipelines with null, empty, unknown, oversized and malformed
 * input, and the events a compensation tells listeners.
 */
class ShapesApiTest {
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    /** Not registered: a child of this class is refused. */
    @Pipeline(name = "Unregistered", steps = Child.class)
    public static class Unregistered {
    }

    @Step(name = "ApiChild")
    public static class Child implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    @Pipeline(name = "ApiChildPipeline", steps = Child.class)
    public static class ChildPipeline {
    }

    /** Tries every bad call, noting what each threw, then starts one child by name and waits for it. */
    @Step(name = "ApiParent")
    public static class Parent implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            Map<String, Object> withNull = new HashMap<>();
            withNull.put("k", null);
            List<Runnable> bad = List.of(
                    () -> ctx.startChild((Class<?>) null, Map.of()),
                    () -> ctx.startChild((String) null, Map.of()),
                    () -> ctx.startChild(ChildPipeline.class, null),
                    () -> ctx.startChild(Unregistered.class, Map.of()),
                    () -> ctx.startChild("NoSuchPipeline", Map.of()),
                    () -> ctx.startChild(ChildPipeline.class, Map.of("k", new Object())),
                    () -> ctx.startChild(ChildPipeline.class, Map.of("big", "x".repeat(5000))),
                    () -> ctx.awaitChildren(null),
                    () -> ctx.awaitChildren(ChildWait.all()));
            for (Runnable call : bad) {
                try {
                    call.run();
                    SEEN.add("no exception");
                } catch (RuntimeException e) {
                    SEEN.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            assertThat(ctx.children().all()).isEmpty();
            UUID child = ctx.startChild("ApiChildPipeline", withNull);   // empty-ish input, by name
            assertThat(ctx.children().all()).extracting(Children.Child::id).containsExactly(child);
            ctx.awaitChildren(ChildWait.all().timeout(Duration.ofMinutes(1)));
            try {
                ctx.awaitChildren(ChildWait.any());
            } catch (IllegalStateException e) {
                SEEN.add("second decision: " + e.getMessage());
            }
        }

        @Override
        public void onContinue(StepContext ctx) {
            Children children = ctx.children();
            SEEN.add("continued: " + children.finished().size() + " finished, timedOut " + children.timedOut());
            ctx.fail("to see the compensation");
        }
    }

    @Step(name = "ApiUndoable")
    public static class Undoable implements OnStart, OnCompensate {
        @Override
        public void onStart(StepContext ctx) {
        }

        @Override
        public void onCompensate(StepContext ctx) {
            SEEN.add("compensated " + ctx.stepName() + " attempt " + ctx.attempt());
        }
    }

    @Pipeline(name = "ApiParentPipeline", steps = {Undoable.class, Parent.class})
    public static class ParentPipeline {
    }

    private final List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
            .repository(InMemoryRepository.create()).register(ParentPipeline.class, ChildPipeline.class)
            .maxMetadataBytes(4096).listener(new PipelineListener() {
                @Override
                public void onEvent(PipelineEvent event) {
                    events.add(event);
                }
            }).build());

    @AfterEach
    void close() {
        orchestrator.close();
        SEEN.clear();
    }

    @Test
    @Timeout(30)
    void badCallsThrowNamingTheProblemAndAFailureAfterAFanInIsCompensated() throws Exception {
        orchestrator.startPolling(Duration.ofMillis(10));
        UUID id = orchestrator.start(ParentPipeline.class);

        PipelineView parent = orchestrator.awaitCompletion(id, Duration.ofSeconds(20));

        assertThat(SEEN.subList(0, 9)).satisfiesExactly(
                s -> assertThat(s).startsWith("NullPointerException: pipeline"),
                s -> assertThat(s).startsWith("NullPointerException: pipelineName"),
                s -> assertThat(s).startsWith("NullPointerException: input"),
                s -> assertThat(s).startsWith("IllegalArgumentException: " + Unregistered.class.getName()
                        + " is not a registered @Pipeline"),
                s -> assertThat(s).startsWith("IllegalArgumentException: No @Pipeline named \"NoSuchPipeline\"")
                        .contains("ApiChildPipeline"),
                s -> assertThat(s).startsWith("IllegalArgumentException:").contains("k"),
                s -> assertThat(s).startsWith("IllegalArgumentException:").contains("over the limit of 4096"),
                s -> assertThat(s).startsWith("NullPointerException: wait"),
                s -> assertThat(s).startsWith("IllegalStateException:").contains("started no children"));
        assertThat(SEEN.subList(9, SEEN.size())).containsExactly(
                "second decision: Step \"ApiParent\" already decided awaitSignal(..) in this hook call; a hook takes"
                        + " at most one decision",
                "continued: 1 finished, timedOut false", "compensated ApiUndoable attempt 1");
        assertThat(parent.status()).isEqualTo(Status.COMPENSATED);
        assertThat(parent.step("ApiUndoable").orElseThrow().status()).isEqualTo(Status.COMPENSATED);
        assertThat(events.stream().filter(e -> e.pipelineId().equals(id)).map(PipelineEvent::type)
                .filter(t -> t.name().contains("COMPENSATED") || t == PipelineEvent.Type.STEP_FAILED))
                .containsExactly(PipelineEvent.Type.STEP_FAILED, PipelineEvent.Type.STEP_COMPENSATED,
                        PipelineEvent.Type.PIPELINE_COMPENSATED);
    }

    @Test
    void aContextOfAnotherKindSaysItCannotStartOrReadChildren() {
        InvocationHandler defaults = (proxy, method, args) -> method.isDefault()
                ? InvocationHandler.invokeDefault(proxy, method, args) : null;
        StepContext other = (StepContext) Proxy.newProxyInstance(StepContext.class.getClassLoader(),
                new Class<?>[] {StepContext.class}, defaults);

        assertThatThrownBy(() -> other.startChild(ChildPipeline.class, Map.of()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("startChild");
        assertThatThrownBy(() -> other.startChild("x", Map.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> other.awaitChildren(ChildWait.all()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(other::children).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aParentIdIsReadFromTheReservedKeyAndAnEditedOneIsIgnored() {
        UUID parent = UUID.randomUUID();

        assertThat(view(Map.of(PipelineView.PARENT_KEY, Map.of("id", parent.toString(), "step", 0L))).parentId())
                .contains(parent);
        assertThat(view(Map.of()).parentId()).isEmpty();
        assertThat(view(Map.of(PipelineView.PARENT_KEY, Map.of("id", "not-a-uuid"))).parentId()).isEmpty();
        assertThat(view(Map.of(PipelineView.PARENT_KEY, "not a map")).parentId()).isEmpty();
        assertThat(view(Map.of(PipelineView.PARENT_KEY, Map.of("id", 42L))).parentId()).isEmpty();
    }

    private static PipelineView view(Map<String, Object> metadata) {
        java.time.Instant now = java.time.Instant.now();
        return new PipelineView(UUID.randomUUID(), "P", Status.PENDING, 0, List.of(), metadata, null, null, null, now,
                now, 0);
    }

    @Test
    void aStoredStatusCompensatedIsParsedAndTerminal() {
        assertThat(Status.fromValue("compensated")).isEqualTo(Status.COMPENSATED);
        assertThat(Status.COMPENSATED.value()).isEqualTo("compensated");
        assertThat(Status.COMPENSATED.isTerminal()).isTrue();
        assertThatThrownBy(() -> Status.fromValue("compensating")).hasMessageContaining("compensated");
    }
}
