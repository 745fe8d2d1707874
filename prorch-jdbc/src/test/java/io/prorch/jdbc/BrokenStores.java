package io.prorch.jdbc;

import io.prorch.Status;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.StoredRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Deliberately broken stores, for showing that the chaos checks catch what they are meant to catch. */
final class BrokenStores {
    private BrokenStores() {
    }

    /** @return {@code store} with claims that hand due pipelines to every claimer without recording the claim */
    static IRepository nonExclusiveClaims(IRepository store) {
        return new Forwarding(store) {
            @Override
            public List<PipelineRecord> claimDue(ClaimRequest request) {
                return delegate.search(Model.PIPELINE, SearchFilter.all().where(SearchField.STATUS, Status.PENDING)
                        .dueAtOrBefore(request.now()).limit(request.limit())).stream()
                        .map(p -> p.withClaim(request.owner(), request.until())).toList();
            }
        };
    }

    /** Passes every call on; subclasses break one. */
    static class Forwarding implements IRepository {
        final IRepository delegate;

        Forwarding(IRepository delegate) {
            this.delegate = delegate;
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
        public List<PipelineRecord> claimDue(ClaimRequest request) {
            return delegate.claimDue(request);
        }

        @Override
        public Optional<Instant> currentTime() {
            return delegate.currentTime();
        }
    }
}
