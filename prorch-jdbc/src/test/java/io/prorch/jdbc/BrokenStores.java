package io.prorch.jdbc;

import io.prorch.Status;
import io.prorch.repository.ClaimRequest;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.test.ForwardingRepository;
import java.util.List;

/** Deliberately broken stores, for showing that the chaos checks catch what they are meant to catch. */
final class BrokenStores {
    private BrokenStores() {
    }

    /** @return {@code store} with claims that hand due pipelines to every claimer without recording the claim */
    static IRepository nonExclusiveClaims(IRepository store) {
        return new ForwardingRepository(store) {
            @Override
            public List<PipelineRecord> claimDue(ClaimRequest request) {
                return delegate.search(Model.PIPELINE, SearchFilter.all().where(SearchField.STATUS, Status.PENDING)
                        .dueAtOrBefore(request.now()).limit(request.limit())).stream()
                        .map(p -> p.withClaim(request.owner(), request.until())).toList();
            }
        };
    }
}
