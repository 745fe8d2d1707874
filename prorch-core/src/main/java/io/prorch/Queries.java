package io.prorch;

import io.prorch.repository.HistoryRecord;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** The operator's reads: a query's page and a pipeline's history (through {@link IRepository#search}), a wait. */
final class Queries {
    /** The most history entries {@link Orchestrator#history} returns. */
    static final int MAX_HISTORY = 10_000;

    private Queries() {
    }

    /** One page: one more record than the limit is asked for, to know whether a next page exists. */
    static PipelinePage page(IRepository repository, PipelineQuery query) {
        SearchFilter filter = SearchFilter.all().order(SearchFilter.Order.CREATED_DESC).limit(query.limit() + 1);
        if (query.statuses().size() == 1) {
            filter = filter.where(SearchField.STATUS, query.statuses().iterator().next());
        } else if (!query.statuses().isEmpty()) {
            filter = filter.anyOf(SearchField.STATUS, query.statuses());
        }
        if (query.names().size() == 1) {
            filter = filter.where(SearchField.NAME, query.names().iterator().next());
        } else if (!query.names().isEmpty()) {
            filter = filter.anyOf(SearchField.NAME, query.names());
        }
        if (query.businessKey() != null) {
            filter = filter.where(SearchField.IDEMPOTENCY_KEY, query.businessKey());
        }
        if (query.createdFrom() != null || query.createdTo() != null) {
            filter = filter.between(SearchField.CREATED_AT, query.createdFrom(), query.createdTo());
        }
        if (query.updatedFrom() != null || query.updatedTo() != null) {
            filter = filter.between(SearchField.UPDATED_AT, query.updatedFrom(), query.updatedTo());
        }
        PipelineQuery.Position position = query.position();
        if (position != null) {
            filter = filter.after(new SearchFilter.Key(position.createdAt(), position.id()));
        }
        List<PipelineRecord> found = repository.search(Model.PIPELINE, filter);
        int size = Math.min(found.size(), query.limit());
        List<PipelineSummary> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            items.add(PipelineSummary.of(found.get(i)));
        }
        String next = null;
        if (found.size() > query.limit()) {
            PipelineRecord last = found.get(size - 1);
            next = new PipelineQuery.Position(last.createdAt(), last.id()).cursor();
        }
        return new PipelinePage(items, next);
    }

    /**
     * The pipeline's history, oldest first: its start, read from the pipeline's own row (a start writes no record:
     * the row it inserts records it), then its records, a step's record marked {@link HistoryRecord#FINISH} read as
     * two entries (the step's transition, then the pipeline's finish). Records of an older version that wrote the
     * start and the finish apart are read as they are.
     */
    static List<HistoryEntry> history(IRepository repository, UUID pipelineId) {
        List<HistoryRecord> records = repository.search(Model.HISTORY, SearchFilter.all()
                .where(SearchField.PIPELINE_ID, pipelineId).limit(MAX_HISTORY));
        List<HistoryEntry> entries = new ArrayList<>(records.size() + 2);
        boolean startRecorded = !records.isEmpty() && records.get(0).stepName() == null
                && records.get(0).fromStatus() == null;
        if (!startRecorded) {
            repository.get(Model.PIPELINE, pipelineId).ifPresent(p -> entries.add(started(p)));
        }
        for (HistoryRecord record : records) {
            if (HistoryRecord.FINISH.equals(record.action())) {
                // one row for two transitions: the step's, then the pipeline's finish in the same write
                entries.add(new HistoryEntry(record.id(), record.pipelineId(), record.stepName(), record.fromStatus(),
                        record.toStatus(), record.attempt(), record.orchestratorId(), record.at(), record.errorType(),
                        record.errorMessage(), record.errorStack(), record.signal(), null, null, null));
                entries.add(new HistoryEntry(derivedId("finish", record.id()), record.pipelineId(), null,
                        Status.PENDING, Status.FINISHED, 0, record.orchestratorId(), record.at(), null, null, null, null,
                        null, null, null));
            } else {
                entries.add(HistoryEntry.of(record));
            }
        }
        return entries.size() > MAX_HISTORY ? List.copyOf(entries.subList(0, MAX_HISTORY)) : entries;
    }

    /** @return the entry of a pipeline's start: from nothing to pending, when it was created, by no one named */
    private static HistoryEntry started(PipelineRecord pipeline) {
        return new HistoryEntry(derivedId("start", pipeline.id()), pipeline.id(), null, null, Status.PENDING, 0, null,
                pipeline.createdAt(), null, null, null, null, null, null, null);
    }

    /** @return an id that is the same on every read of the same entry */
    private static UUID derivedId(String kind, UUID of) {
        return UUID.nameUUIDFromBytes(("prorch-" + kind + ":" + of).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a pipeline until it ended or {@code timeout} passed, pausing 2 ms, then twice as long up to 100 ms.
     *
     * @param read reads the pipeline's view (throws if it is not found)
     */
    static PipelineView awaitEnd(Supplier<PipelineView> read, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 2;
        while (true) {
            PipelineView view = read.get();
            long left = deadline - System.nanoTime();
            if (view.status().isTerminal() || left <= 0) {
                return view;
            }
            Thread.sleep(Math.max(1, Math.min(pause, left / 1_000_000)));
            pause = Math.min(pause * 2, 100);
        }
    }
}
