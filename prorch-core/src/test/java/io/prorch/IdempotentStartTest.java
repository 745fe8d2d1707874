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
                return orchestrator.starter(DecisionTest.Simple.class).idempotencyKey("order-7")
                        .input(Map.of("caller", n)).start();
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
        assertThat(orchestrator.starter("Simple").idempotencyKey("order-7").start()).isEqualTo(results.get(0));
        assertThat(orchestrator.starter("Simple").idempotencyKey("order-8").start()).isNotEqualTo(results.get(0));
    }

    @Test
    void rejectsBadKeysWithoutSavingAnything() {
        assertThatThrownBy(() -> orchestrator.starter(DecisionTest.Simple.class).idempotencyKey(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idempotencyKey must be 1 to 200 non-blank characters");
        assertThatThrownBy(() -> orchestrator.starter("Simple").idempotencyKey("k".repeat(201)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(201 chars)");
        assertThatThrownBy(() -> orchestrator.starter("Simple").idempotencyKey(null))
                .isInstanceOf(NullPointerException.class).hasMessage("idempotencyKey");
        assertThatThrownBy(() -> orchestrator.starter("Nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No pipeline named \"Nope\"");
        assertThat(repository.size(Model.PIPELINE)).isZero();
    }
}
