package io.prorch.examples.bench;

import io.prorch.Status;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import io.prorch.repository.StoredRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Records written straight into prorch's store through its public repository API, without the engine: the loads the
 * pass and drain modes start from, and the records a {@code start()} saves, for the modes that measure them alone.
 */
final class BenchRecords {
    /** The step names of {@link BenchSteps.Chain}, the peers' workload. */
    static final List<String> CHAIN_STEPS = List.of("Step1", "Step2", "Step3");

    private BenchRecords() {
    }

    /** Writes {@code count} pending pipelines due at {@code due} with their steps, 1,000 per transaction. */
    static void insert(JdbcRepository repository, int count, String name, List<String> steps,
                       IntFunction<Map<String, Object>> input, Instant due) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<StoredRecord> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.addAll(newPipeline(PipelineRecord.newId(), name, steps, input.apply(i), now,
                    due.truncatedTo(ChronoUnit.MICROS), null));
            if (batch.size() >= 1000 * (steps.size() + 1) || i == count - 1) {
                repository.saveAll(batch);
                batch.clear();
            }
        }
    }

    /** Writes {@code count} finished pipelines (the history a long-running system accumulates). */
    static void insertFinished(JdbcRepository repository, int count, Instant when) {
        Instant at = when.truncatedTo(ChronoUnit.MICROS);
        List<StoredRecord> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = PipelineRecord.newId();
            batch.add(new StepRecord(StepRecord.idOf(id, 0), id, "Waits", 0, Status.FINISHED, Map.of(), 0, 1, at, at,
                    null));
            batch.add(new PipelineRecord(id, "Waiting", Status.FINISHED, List.of("Waits"), 0, Map.of(), 3, at, at,
                    null, null, null, null, null));
            if (batch.size() >= 5000 || i == count - 1) {
                repository.saveAll(batch);
                batch.clear();
            }
        }
    }

    /**
     * Saves process {@code id} of the peers' workload as {@code start()} does (claimed by {@code bench}, as a start that
     * hands off to the local workers), and hands its records to {@code saved} once stored.
     */
    static void saveStart(JdbcRepository repository, int id, Consumer<List<StoredRecord>> saved) {
        Instant now = Instant.now();
        List<StoredRecord> records = newPipeline(PipelineRecord.newId(), "Chain", CHAIN_STEPS, Map.of("id", id), now,
                now.plusSeconds(30), "bench");
        repository.saveAll(records);
        saved.accept(records);
    }

    /**
     * @return the records of a new pending pipeline, its steps (all created) first, as {@code start()} saves them: due
     *     at {@code due}, and claimed by {@code owner} until then unless {@code owner} is null
     */
    private static List<StoredRecord> newPipeline(UUID id, String name, List<String> steps, Map<String, Object> input,
                                                  Instant now, Instant due, String owner) {
        List<StoredRecord> records = new ArrayList<>(steps.size() + 1);
        for (int k = 0; k < steps.size(); k++) {
            records.add(new StepRecord(StepRecord.idOf(id, k), id, steps.get(k), k, Status.CREATED, Map.of(), 0, 0,
                    now, now, null));
        }
        records.add(new PipelineRecord(id, name, Status.PENDING, steps, 0, input, 0, now, now, due, owner,
                owner == null ? null : due, null, null));
        return records;
    }
}
