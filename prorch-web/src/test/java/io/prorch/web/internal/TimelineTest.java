package io.prorch.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.HistoryEntry;
import io.prorch.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The timeline shows each entry escaped, its stack folded, and only the latest entries of a long history. */
class TimelineTest {
    private static final UUID PIPELINE = UUID.randomUUID();

    private static HistoryEntry entry(int i, String errorMessage, String stack, String action, String reason) {
        String type = errorMessage == null ? null : "java.io.IOException";
        return new HistoryEntry(UUID.randomUUID(), PIPELINE, "Charge", Status.PENDING, Status.FAILED, i, "orch-1",
                Instant.parse("2026-12-07T00:00:00Z").plusSeconds(i), type, errorMessage, stack, null, action,
                action == null ? null : "alice<b>", reason);
    }

    @Test
    void everyTextIsEscapedAndTheStackFolded() {
        String html = Timeline.html(List.of(entry(1, "<script>x()</script>", "\tat A.b(<init>)", null, null),
                entry(2, null, null, "cancel", "<i>why</i>")));

        assertThat(html).doesNotContain("<script", "<i>", "alice<b>")
                .contains("java.io.IOException: &lt;script&gt;x()&lt;/script&gt;", "<details>", "at A.b(&lt;init&gt;)",
                        "<b>cancel</b> by alice&lt;b&gt;: &lt;i&gt;why&lt;/i&gt;", "2026-12-07 00:00:01Z");
    }

    @Test
    void aLongHistoryShowsItsLatestEntries() {
        List<HistoryEntry> entries = new ArrayList<>();
        for (int i = 0; i < Timeline.MAX_ROWS + 3; i++) {
            entries.add(entry(i, null, null, null, null));
        }

        String html = Timeline.html(entries);

        assertThat(html).contains("The 3 oldest entries are left out").doesNotContain("2026-12-07 00:00:02Z")
                .contains("2026-12-07 00:00:03Z");
        assertThat(html.split("<tr class=\"entry\">", -1)).hasSize(Timeline.MAX_ROWS + 1);
        assertThat(Timeline.json(entries)).hasSize(Timeline.MAX_ROWS + 3);
    }

    @Test
    void anEmptyHistorySaysSo() {
        assertThat(Timeline.html(List.of())).contains("No history recorded");
        assertThat(Timeline.json(List.of())).isEmpty();
    }
}
