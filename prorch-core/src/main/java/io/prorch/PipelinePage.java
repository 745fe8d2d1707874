package io.prorch;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One page of the pipelines a {@link PipelineQuery} matches, newest first.
 *
 * @param items the pipelines of this page, at most the query's limit
 * @param nextCursor pass it to {@link PipelineQuery.Builder#after(String)} for the next page; null on the last page
 */
public record PipelinePage(List<PipelineSummary> items, String nextCursor) {
    /** @throws NullPointerException if {@code items} or one of them is null */
    public PipelinePage {
        items = List.copyOf(requireNonNull(items, "items"));
    }

    /** @return true if there is a next page */
    public boolean hasNext() {
        return nextCursor != null;
    }
}
