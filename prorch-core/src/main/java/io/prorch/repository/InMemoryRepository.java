package io.prorch.repository;

import static java.util.Objects.requireNonNull;

import io.prorch.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A thread-safe {@link IRepository} held in memory: for tests, prototypes and single-process tools that may lose
 * their pipelines on exit. Records are immutable, so callers can never change stored state. Every operation,
 * including {@link #updateAll} and {@link #claimDue}, is atomic (one lock for the whole store).
 */
public final class InMemoryRepository implements IRepository {
    private final Map<UUID, PipelineRecord> pipelines = new HashMap<>();
    private final Map<UUID, StepRecord> steps = new HashMap<>();
    private final Map<UUID, SignalRecord> signals = new HashMap<>();
    private final Map<UUID, HistoryRecord> history = new HashMap<>();
    private final Map<String, UUID> idempotencyKeys = new HashMap<>();

    /** @return a new, empty repository */
    public static InMemoryRepository create() {
        return new InMemoryRepository();
    }

    @Override
    public synchronized <R extends StoredRecord> Optional<R> get(Model<R> model, UUID id) {
        requireNonNull(model, "model");
        requireNonNull(id, "id");
        return Optional.ofNullable(model.recordType().cast(table(model).get(id)));
    }

    @Override
    public synchronized <R extends StoredRecord> R save(R record) {
        requireNonNull(record, "record");
        checkNew(record);
        put(record);
        return record;
    }

    @Override
    public synchronized <R extends StoredRecord> R update(R record) {
        requireNonNull(record, "record");
        appendOnly(record);
        checkVersion(record);
        @SuppressWarnings("unchecked")
        R updated = (R) record.withVersion(record.version() + 1);
        put(updated);
        return updated;
    }

    @Override
    public synchronized <R extends StoredRecord> List<R> search(Model<R> model, SearchFilter filter) {
        requireNonNull(model, "model");
        requireNonNull(filter, "filter");
        filter.checkApplicableTo(model);
        List<R> matches = new ArrayList<>();
        for (StoredRecord record : table(model).values()) {
            if (filter.matches(record)) {
                matches.add(model.cast(record));
            }
        }
        matches.sort(filter.order(model));
        return matches.size() > filter.limit() ? new ArrayList<>(matches.subList(0, filter.limit())) : matches;
    }

    @Override
    public synchronized List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
        requireNonNull(records, "records");
        records.forEach(r -> requireNonNull(r, "records element"));
        // check the whole batch before writing any of it, as the updates one after another would see it: a record
        // listed twice must carry, the second time, the version its first update makes
        Map<UUID, Long> versions = new HashMap<>();
        Map<UUID, Object> appended = new HashMap<>();
        for (StoredRecord record : records) {
            if (record instanceof HistoryRecord entry) {
                checkNew(entry);
                if (appended.put(entry.id(), entry) != null) {
                    throw new DuplicateRecordException(Model.HISTORY, entry.id(), "id");
                }
                continue;
            }
            Long earlier = versions.get(record.id());
            if (earlier == null) {
                checkVersion(record);
            } else if (earlier != record.version()) {
                throw new VersionConflictException(Model.of(record), record.id(), record.version());
            }
            versions.put(record.id(), record.version() + 1);
        }
        return IRepository.super.updateAll(records);
    }

    @Override
    public synchronized List<StoredRecord> saveAll(List<? extends StoredRecord> records) {
        requireNonNull(records, "records");
        Map<UUID, Object> seen = new HashMap<>();
        for (StoredRecord record : records) {
            checkNew(requireNonNull(record, "records element"));
            if (seen.put(record.id(), record) != null) {
                throw new DuplicateRecordException(Model.of(record), record.id(), "id");
            }
        }
        return IRepository.super.saveAll(records);
    }

    /** @return true: {@link #saveAll} and {@link #updateAll} check the whole batch before writing any of it */
    @Override
    public boolean atomicBatches() {
        return true;
    }

    @Override
    public synchronized <R extends StoredRecord> List<R> getAll(Model<R> model, Collection<UUID> ids) {
        requireNonNull(model, "model");
        requireNonNull(ids, "ids");
        return IRepository.super.getAll(model, ids);
    }

    @Override
    public synchronized List<PipelineRecord> claimDue(ClaimRequest request) {
        requireNonNull(request, "request");
        return request.limits().isEmpty() ? IRepository.super.claimDue(request)
                : LimitedClaims.claim(this, request, true);
    }

    @Override
    public synchronized List<UUID> purge(Collection<UUID> pipelineIds, java.time.Instant endedBefore) {
        requireNonNull(pipelineIds, "pipelineIds");
        requireNonNull(endedBefore, "endedBefore");
        List<UUID> purged = new ArrayList<>();
        for (UUID id : pipelineIds) {
            PipelineRecord pipeline = pipelines.get(requireNonNull(id, "pipelineIds element"));
            if (pipeline == null || !pipeline.status().isTerminal() || !pipeline.updatedAt().isBefore(endedBefore)) {
                continue;
            }
            pipelines.remove(id);
            if (pipeline.idempotencyKey() != null) {
                idempotencyKeys.remove(pipeline.idempotencyKey());
            }
            steps.values().removeIf(step -> step.pipelineId().equals(id));
            signals.values().removeIf(signal -> signal.pipelineId().equals(id));
            history.values().removeIf(entry -> entry.pipelineId().equals(id));
            purged.add(id);
        }
        return purged;
    }

    /** Notes the due times of the due pipelines under the store's lock, then claims: nothing changes in between. */
    @Override
    public synchronized List<ClaimedPipeline> claimDueWithDueTimes(ClaimRequest request) {
        requireNonNull(request, "request");
        Map<UUID, Instant> due = new HashMap<>();
        for (PipelineRecord p : pipelines.values()) {
            if (p.status() == Status.PENDING && p.dueAt() != null && !p.dueAt().isAfter(request.now())) {
                due.put(p.id(), p.dueAt());
            }
        }
        return claimDue(request).stream().map(p -> new ClaimedPipeline(p, due.get(p.id()))).toList();
    }

    /** @return how many records of {@code model} are stored */
    public synchronized int size(Model<?> model) {
        return table(requireNonNull(model, "model")).size();
    }

    private Map<UUID, ? extends StoredRecord> table(Model<?> model) {
        return model == Model.PIPELINE ? pipelines : model == Model.STEP ? steps
                : model == Model.SIGNAL ? signals : history;
    }

    private static void appendOnly(StoredRecord record) {
        if (record instanceof HistoryRecord) {
            throw new IllegalArgumentException("History entry " + record.id() + " cannot be updated: history is"
                    + " append-only (save it, or pass it to updateAll with the transition it records)");
        }
    }

    private void checkNew(StoredRecord record) {
        Model<?> model = Model.of(record);
        if (table(model).containsKey(record.id())) {
            throw new DuplicateRecordException(model, record.id(), "id");
        }
        if (record instanceof PipelineRecord p && p.idempotencyKey() != null
                && idempotencyKeys.containsKey(p.idempotencyKey())) {
            throw new DuplicateRecordException(model, record.id(),
                    "idempotency key \"" + p.idempotencyKey() + "\"");
        }
    }

    private void checkVersion(StoredRecord record) {
        StoredRecord stored = table(Model.of(record)).get(record.id());
        if (stored == null || stored.version() != record.version()) {
            throw new VersionConflictException(Model.of(record), record.id(), record.version());
        }
        if (record instanceof PipelineRecord p && !java.util.Objects.equals(p.idempotencyKey(),
                ((PipelineRecord) stored).idempotencyKey())) {
            throw new IllegalArgumentException("Pipeline " + p.id() + ": the idempotency key cannot be changed");
        }
    }

    private void put(StoredRecord record) {
        if (record instanceof PipelineRecord p) {
            pipelines.put(p.id(), p);
            if (p.idempotencyKey() != null) {
                idempotencyKeys.put(p.idempotencyKey(), p.id());
            }
        } else if (record instanceof StepRecord s) {
            steps.put(s.id(), s);
        } else if (record instanceof SignalRecord signal) {
            signals.put(signal.id(), signal);
        } else {
            history.put(record.id(), (HistoryRecord) record);
        }
    }
}
