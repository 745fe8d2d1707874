package io.prorch.web.internal;

import io.prorch.Orchestrator;
import io.prorch.Status;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The list and the counts, newest first with a keyset cursor (created time and id), read through the store's
 * {@code search}. It reads at most {@link #SCAN_LIMIT} pipelines per request.
 */
final class Listing {
    /** Most pipelines one request reads from the store. */
    static final int SCAN_LIMIT = 10_000;
    private static final Comparator<PipelineRecord> NEWEST_FIRST = Comparator
            .comparing(PipelineRecord::createdAt).thenComparing(PipelineRecord::id).reversed();

    private final IRepository repository;

    Listing(Orchestrator orchestrator) {
        this.repository = orchestrator.config().repository();
    }

    /**
     * @param rows the page's pipelines, newest first
     * @param next the cursor of the next page, or null on the last
     */
    record Page(List<Row> rows, String next) {
    }

    /**
     * @param byStatus pipelines per status
     * @param byName pipelines per name and status
     */
    record Counts(Map<Status, Long> byStatus, Map<String, Map<Status, Long>> byName) {
    }

    Page page(Filter filter) {
        Cursor after = filter.after() == null ? null : Cursor.decode(filter.after());
        List<PipelineRecord> matches = scan(filter)
                .filter(p -> after == null || after.isBefore(p))
                .sorted(NEWEST_FIRST)
                .limit(filter.limit() + 1L)
                .toList();
        boolean more = matches.size() > filter.limit();
        List<Row> rows = matches.stream().limit(filter.limit()).map(Listing::row).toList();
        String next = more ? new Cursor(matches.get(filter.limit() - 1)).encode() : null;
        return new Page(rows, next);
    }

    Counts counts() {
        Map<Status, Long> byStatus = new EnumMap<>(Status.class);
        Map<String, Map<Status, Long>> byName = new TreeMap<>();
        repository.search(Model.PIPELINE, SearchFilter.all().limit(SCAN_LIMIT)).forEach(p -> {
            byStatus.merge(p.status(), 1L, Long::sum);
            byName.computeIfAbsent(p.name(), n -> new EnumMap<>(Status.class)).merge(p.status(), 1L, Long::sum);
        });
        return new Counts(byStatus, byName);
    }

    private Stream<PipelineRecord> scan(Filter filter) {
        SearchFilter search = SearchFilter.all().limit(SCAN_LIMIT);
        if (filter.statuses().size() == 1) {
            search = search.where(SearchField.STATUS, filter.statuses().iterator().next());
        }
        if (filter.name() != null) {
            search = search.where(SearchField.NAME, filter.name());
        }
        if (filter.key() != null) {
            search = search.where(SearchField.IDEMPOTENCY_KEY, filter.key());
        }
        return repository.search(Model.PIPELINE, search).stream()
                .filter(p -> filter.statuses().isEmpty() || filter.statuses().contains(p.status()));
    }

    private static Row row(PipelineRecord p) {
        String step = p.currentStep() < p.stepNames().size() ? p.stepNames().get(p.currentStep()) : null;
        return new Row(p.id(), p.name(), p.idempotencyKey(), p.status(), step, p.lastError(), p.createdAt(),
                p.updatedAt(), p.version());
    }

    /** Where a page ended: the created time and id of its last row. */
    private record Cursor(Instant createdAt, UUID id) {
        Cursor(PipelineRecord last) {
            this(last.createdAt(), last.id());
        }

        boolean isBefore(PipelineRecord p) {
            int byTime = p.createdAt().compareTo(createdAt);
            return byTime < 0 || byTime == 0 && p.id().compareTo(id) < 0;
        }

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int bar = plain.indexOf('|');
                return new Cursor(Instant.parse(plain.substring(0, bar)), UUID.fromString(plain.substring(bar + 1)));
            } catch (RuntimeException e) {
                throw new Problem(400, "Parameter after is not a cursor this page gave out; start again from the "
                        + "first page");
            }
        }
    }
}
