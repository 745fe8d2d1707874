package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.HistoryRecord;
import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every transition and every operator's action leaves an entry in the pipeline's history, in order. */
class HistoryTest {
    static final AtomicBoolean BROKEN = new AtomicBoolean(true);

    /** Starts at once. */
    @Step(name = "Prepare")
    public static class Prepare implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
        }
    }

    /** Fails twice for good while BROKEN, then finishes. */
    @Step(name = "Charge", maxAttempts = 2)
    public static class Charge implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            if (BROKEN.get()) {
                throw new IllegalStateException("payment service down");
            }
        }
    }

    /** Waits for an approval signal, then finishes. */
    @Step(name = "Approve")
    public static class Approve implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            if (ctx.signal("approved").isPresent()) {
                ctx.finish();
            } else {
                ctx.awaitSignal("approved", Duration.ofHours(1));
            }
        }
    }

    @Pipeline(name = "Order", steps = {Prepare.class, Charge.class, Approve.class})
    public static class Order {
    }

    private final SettableClock clock = new SettableClock();
    private final InMemoryRepository repository = InMemoryRepository.create();
    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
            .register(Order.class).clock(clock).build());

    @AfterEach
    void close() {
        orchestrator.close();
        BROKEN.set(true);
    }

    private void pass() {
        clock.advance(Duration.ofHours(1));
        orchestrator.executePipelines();
    }

    private static String line(HistoryEntry e) {
        return (e.stepName() == null ? "pipeline" : e.stepName()) + " " + e.fromStatus() + "->" + e.toStatus()
                + (e.attempt() > 0 ? " #" + e.attempt() : "") + (e.errorType() == null ? "" : " " + e.errorType())
                + (e.signal() == null ? "" : " signal " + e.signal())
                + (e.action() == null ? "" : " " + e.action() + " by " + e.actor() + ": " + e.reason());
    }

    @Test
    void recordsTransitionsFailuresActionsAndSignalsInOrder() throws Exception {
        UUID id = orchestrator.start(Order.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        pass();
        PipelineView failed = orchestrator.find(id).orElseThrow();
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        BROKEN.set(false);
        orchestrator.operator("alice", "payment service is back").retry(id, failed.version());
        pass();
        orchestrator.signal(id, "approved", Map.of());
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        pass();

        List<HistoryEntry> history = orchestrator.history(id);

        assertThat(orchestrator.find(id).orElseThrow().status()).isEqualTo(Status.FINISHED);
        assertThat(history).extracting(HistoryTest::line).containsExactly(
                "pipeline null->PENDING",
                "Prepare CREATED->FINISHED",
                "Charge CREATED->CREATED #1 java.lang.IllegalStateException",
                "Charge CREATED->FAILED #2 java.lang.IllegalStateException",
                "pipeline PENDING->FAILED",
                "Charge FAILED->CREATED",
                "pipeline FAILED->PENDING retry by alice: payment service is back",
                "Charge CREATED->FINISHED",
                "Approve CREATED->PENDING",
                "Approve PENDING->FINISHED signal approved",
                "pipeline PENDING->FINISHED");
        HistoryEntry firstFailure = history.get(2);
        assertThat(firstFailure.errorMessage()).isEqualTo("payment service down");
        assertThat(firstFailure.errorStack()).contains("at io.prorch.HistoryTest$Charge.onStart");
        assertThat(firstFailure.orchestratorId()).isEqualTo(orchestrator.id());
        assertThat(history.get(4).errorMessage()).contains("failed after 2 attempts").contains("payment service");
        assertThat(history).allSatisfy(e -> assertThat(e.pipelineId()).isEqualTo(id));
        assertThat(history).extracting(HistoryEntry::at).isSorted();
        assertThat(history.get(0).at()).isEqualTo(orchestrator.find(id).orElseThrow().createdAt());
    }

    @Test
    void aStartIsReadFromThePipelineRowAndAFinishFromTheRecordOfTheStepItCameWith() throws Exception {
        BROKEN.set(false);
        UUID id = orchestrator.start(Order.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        orchestrator.signal(id, "approved", Map.of());
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        pass();
        PipelineView done = orchestrator.find(id).orElseThrow();
        assertThat(done.status()).isEqualTo(Status.FINISHED);

        orchestrator.operator("dave", "ship it again").restartFrom(id, "Approve", done.version());
        orchestrator.signal(id, "approved", Map.of());
        orchestrator.awaitIdle(Duration.ofSeconds(10));
        pass();

        List<String> stored = repository.search(Model.HISTORY, io.prorch.repository.SearchFilter.all()).stream()
                .map(r -> (r.stepName() == null ? "pipeline" : r.stepName()) + " " + r.fromStatus() + "->"
                        + r.toStatus()).toList();
        assertThat(stored).doesNotContain("pipeline null->PENDING", "pipeline PENDING->FINISHED");
        List<HistoryEntry> history = orchestrator.history(id);
        assertThat(history).extracting(HistoryTest::line).containsExactly(
                "pipeline null->PENDING",
                "Prepare CREATED->FINISHED",
                "Charge CREATED->FINISHED",
                "Approve CREATED->PENDING",
                "Approve PENDING->FINISHED signal approved",
                "pipeline PENDING->FINISHED",
                "Approve FINISHED->CREATED",
                "pipeline FINISHED->PENDING restartFrom by dave: ship it again",
                "Approve CREATED->FINISHED signal approved",
                "pipeline PENDING->FINISHED");
        assertThat(history).extracting(HistoryEntry::at).isSorted();
        assertThat(history.get(5).at()).isEqualTo(history.get(4).at());
        assertThat(orchestrator.history(id)).isEqualTo(history);   // the derived entries keep their ids

        // one stored record, mapped alone, stays one entry that says it also finished the pipeline
        HistoryRecord finishing = repository.search(Model.HISTORY, io.prorch.repository.SearchFilter.all()).stream()
                .filter(r -> HistoryRecord.FINISH.equals(r.action())).findFirst().orElseThrow();
        HistoryEntry alone = HistoryEntry.of(finishing);
        assertThat(alone).extracting(HistoryEntry::stepName, HistoryEntry::toStatus, HistoryEntry::action)
                .containsExactly("Approve", Status.FINISHED, HistoryRecord.FINISH);
    }

    @Test
    void cancelRecordsWhoAndWhy() throws Exception {
        UUID id = orchestrator.start(Order.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));

        assertThat(orchestrator.cancel(id, "customer withdrew", "bob")).isTrue();
        assertThat(orchestrator.operator("carol", null).cancel(id)).isFalse();

        List<HistoryEntry> history = orchestrator.history(id);
        HistoryEntry last = history.get(history.size() - 1);
        assertThat(line(last)).isEqualTo("pipeline PENDING->CANCELLED cancel by bob: customer withdrew");
        assertThat(last.errorMessage()).contains("customer withdrew");
        assertThat(history.get(history.size() - 2).stepName()).isEqualTo("Charge");
        assertThat(history.get(history.size() - 2).toStatus()).isEqualTo(Status.CANCELLED);
    }

    @Test
    void boundsWhatItRecordsAndIsEmptyForUnknownPipelines() throws Exception {
        UUID id = orchestrator.start(Order.class);
        orchestrator.awaitIdle(Duration.ofSeconds(10));

        orchestrator.cancel(id, "r".repeat(5000), "a".repeat(500));

        HistoryEntry last = orchestrator.history(id).get(orchestrator.history(id).size() - 1);
        assertThat(last.actor()).hasSize(HistoryRecord.MAX_NAME);
        assertThat(last.reason()).hasSize(HistoryRecord.MAX_MESSAGE);
        assertThat(orchestrator.history(UUID.randomUUID())).isEmpty();
        assertThatThrownBy(() -> orchestrator.history(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> repository.update(repository.search(Model.HISTORY,
                io.prorch.repository.SearchFilter.all()).get(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("append-only");
    }
}
