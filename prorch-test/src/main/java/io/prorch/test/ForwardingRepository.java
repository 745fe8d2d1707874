package io.prorch.test;

import io.prorch.repository.ClaimRequest;
import io.prorch.repository.IRepository;
import io.prorch.repository.InMemoryRepository;
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
 * Passes every call to a delegate; tests override the calls they want to count, slow down or break (a store that
 * fails on purpose, or one that is deliberately wrong, to show that a check can fail). Part of the test kit.
 */
public class ForwardingRepository implements IRepository {
    protected final IRepository delegate;

    public ForwardingRepository(IRepository delegate) {
        this.delegate = delegate;
    }

    public ForwardingRepository() {
        this(InMemoryRepository.create());
    }

    @Override
    public <R extends StoredRecord> Optional<R> get(Model<R> model, UUID id) {
        return delegate.get(model, id);
    }

    @Override
    public <R extends StoredRecord> R save(R record) {
        return delegate.save(record);
    }

    @Override
    public <R extends StoredRecord> R update(R record) {
        return delegate.update(record);
    }

    @Override
    public <R extends StoredRecord> List<R> search(Model<R> model, SearchFilter filter) {
        return delegate.search(model, filter);
    }

    @Override
    public List<StoredRecord> updateAll(List<? extends StoredRecord> records) {
        return delegate.updateAll(records);
    }

    @Override
    public List<StoredRecord> saveAll(List<? extends StoredRecord> records) {
        return delegate.saveAll(records);
    }

    @Override
    public <R extends StoredRecord> List<R> getAll(Model<R> model, Collection<UUID> ids) {
        return delegate.getAll(model, ids);
    }

    @Override
    public boolean atomicBatches() {
        return delegate.atomicBatches();
    }

    @Override
    public OptionalInt connectionLimit() {
        return delegate.connectionLimit();
    }

    @Override
    public Optional<Instant> currentTime() {
        return delegate.currentTime();
    }

    @Override
    public List<UUID> purge(Collection<UUID> pipelineIds, Instant endedBefore) {
        return delegate.purge(pipelineIds, endedBefore);
    }

    @Override
    public io.prorch.PipelineCounts countPipelines() {
        return delegate.countPipelines();
    }

    @Override
    public List<PipelineRecord> claimDue(ClaimRequest request) {
        return delegate.claimDue(request);
    }
}
