package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.ClaimRequest;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StoredRecord;
import io.prorch.test.ForwardingRepository;
import io.prorch.test.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pass over many pending pipelines touches each once and holds only a couple of batches at a time. */
class LargePassTest {
    static final Map<UUID, AtomicInteger> CONTINUES = new ConcurrentHashMap<>();

    @Step(name = "Waits")
    public static class Waits implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            CONTINUES.computeIfAbsent(ctx.pipelineId(), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Pipeline(name = "Waiting", steps = Waits.class)
    public static class Waiting {
    }

    /** Counts pipelines claimed but not yet released, and the largest claim asked for. */
    static final class CountingRepository extends ForwardingRepository {
        final AtomicInteger held = new AtomicInteger();
        final AtomicInteger maxHeld = new AtomicInteger();
        final AtomicInteger maxLimit = new AtomicInteger();

        @Override
        public List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
            List<StoredRecord> stored = delegate.updateAll(records);
            long released = records.stream().filter(r -> r instanceof PipelineRecord p && p.claimOwner() == null)
                    .count();
            held.addAndGet((int) -released);
            return stored;
        }

        @Override
        public List<PipelineRecord> claimDue(ClaimRequest request) {
            maxLimit.accumulateAndGet(request.limit(), Math::max);
            List<PipelineRecord> claimed = delegate.claimDue(request);
            maxHeld.accumulateAndGet(held.addAndGet(claimed.size()), Math::max);
            return claimed;
        }
    }

    @Test
    @Timeout(120)
    void passOverTenThousandPendingPipelinesTouchesEachOnceInBatches() throws Exception {
        CountingRepository repository = new CountingRepository();
        SettableClock clock = new SettableClock();
        int pipelines = 10_000;
        try (Orchestrator starter = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(Waiting.class).clock(clock).build())) {
            for (int i = 0; i < pipelines; i++) {
                starter.start(Waiting.class);
            }
            assertThat(starter.awaitIdle(Duration.ofSeconds(60))).isTrue();
        }
        CONTINUES.clear();
        repository.held.set(0);
        repository.maxHeld.set(0);
        clock.advance(Duration.ofSeconds(1));

        PassSummary pass;
        try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(Waiting.class).clock(clock).batchSize(100).build())) {
            pass = orchestrator.executePipelines();
        }

        assertThat(pass.claimed()).isEqualTo(pipelines);
        assertThat(pass.waiting()).isEqualTo(pipelines);
        assertThat(CONTINUES).hasSize(pipelines);
        assertThat(CONTINUES.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(repository.maxLimit.get()).isEqualTo(100);
        assertThat(repository.maxHeld.get()).isLessThanOrEqualTo(201);
    }
}
