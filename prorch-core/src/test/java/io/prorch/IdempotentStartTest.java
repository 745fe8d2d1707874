package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.repository.InMemoryRepository;
import io.prorch.repository.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** startOnce creates at most one pipeline per idempotency key. */
class IdempotentStartTest {
    private final InMemoryRepository repository = InMemoryRepository.create();
    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
            .register(DecisionTest.Simple.class).build());

    @AfterEach
    void close() {
        orchestrator.close();
    }

    @Test
    @Timeout(30)
    void fiftyConcurrentCallersWithOneKeyAllGetTheSamePipeline() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(50);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<UUID>> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            ids.add(callers.submit(() -> {
                go.await();
                return orchestrator.startOnce("order-7", DecisionTest.Simple.class, Map.of("caller", n));
            }));
        }
        go.countDown();
        List<UUID> results = new ArrayList<>();
        for (Future<UUID> id : ids) {
            results.add(id.get(20, TimeUnit.SECONDS));
        }
        callers.shutdown();

        assertThat(results).containsOnly(results.get(0));
        assertThat(repository.size(Model.PIPELINE)).isEqualTo(1);
        assertThat(orchestrator.startOnce("order-7", "Simple", Map.of())).isEqualTo(results.get(0));
        assertThat(orchestrator.startOnce("order-8", "Simple", Map.of())).isNotEqualTo(results.get(0));
    }

    @Test
    void rejectsBadKeysWithoutSavingAnything() {
        assertThatThrownBy(() -> orchestrator.startOnce(" ", DecisionTest.Simple.class, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idempotencyKey must be 1 to 200 non-blank characters");
        assertThatThrownBy(() -> orchestrator.startOnce("k".repeat(201), "Simple", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(201 chars)");
        assertThatThrownBy(() -> orchestrator.startOnce(null, "Simple", Map.of()))
                .isInstanceOf(NullPointerException.class).hasMessage("idempotencyKey");
        assertThatThrownBy(() -> orchestrator.startOnce("k", "Nope", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No pipeline named \"Nope\"");
        assertThat(repository.size(Model.PIPELINE)).isZero();
    }
}
