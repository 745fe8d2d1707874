package io.prorch.examples.bench;

import io.prorch.PipelineCounts;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.HistoryRecord;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StoredRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * A store that drops the history entries it is given and passes everything else on: {@code --history off}, to measure
 * what writing history costs the peers' workload (the engine still builds the entries; the store never sees them).
 */
final class WithoutHistory implements IRepository {
    private final IRepository store;

    WithoutHistory(IRepository store) {
        this.store = store;
    }

    private static List<StoredRecord> kept(List<? extends StoredRecord> records) {
        return records.stream().filter(r -> !(r instanceof HistoryRecord)).map(r -> (StoredRecord) r).toList();
    }

    @Override
    public <R extends StoredRecord> Optional<R> get(Model<R> model, UUID id) {
        return store.get(model, id);
    }

    @Override
    public <R extends StoredRecord> R save(R record) {
        return record instanceof HistoryRecord ? record : store.save(record);
    }

    @Override
    public <R extends StoredRecord> R update(R record) {
        return store.update(record);
    }

    @Override
    public <R extends StoredRecord> List<R> search(Model<R> model, SearchFilter filter) {
        return store.search(model, filter);
    }

    /** @return what the store returns, with the dropped entries back in their places, as if written */
    @Override
    public List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
        List<StoredRecord> stored = store.updateAll(kept(records));
        List<StoredRecord> all = new java.util.ArrayList<>(records.size());
        int next = 0;
        for (StoredRecord record : records) {
            all.add(record instanceof HistoryRecord ? record : stored.get(next++));
        }
        return all;
    }

    @Override
    public List<StoredRecord> saveAll(List<? extends StoredRecord> records) {
        store.saveAll(kept(records));
        return List.copyOf(records);
    }

    @Override
    public boolean atomicBatches() {
        return store.atomicBatches();
    }

    @Override
    public <R extends StoredRecord> List<R> getAll(Model<R> model, Collection<UUID> ids) {
        return store.getAll(model, ids);
    }

    @Override
    public PipelineCounts countPipelines() {
        return store.countPipelines();
    }

    @Override
    public OptionalInt connectionLimit() {
        return store.connectionLimit();
    }

    @Override
    public Optional<Instant> currentTime() {
        return store.currentTime();
    }

    @Override
    public List<PipelineRecord> claimDue(ClaimRequest request) {
        return store.claimDue(request);
    }
}
