package io.prorch.web.internal;

import static io.prorch.web.internal.Html.esc;

import io.prorch.HistoryEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A pipeline's history: a table on the detail page, a list in the JSON API. */
final class Timeline {
    /** Most entries a page shows (the latest); the JSON API returns them all. */
    static final int MAX_ROWS = 500;

    private Timeline() {
    }

    static String html(List<HistoryEntry> entries) {
        StringBuilder html = new StringBuilder("<h2>Timeline</h2>");
        if (entries.isEmpty()) {
            return html.append("<p class=\"muted\">No history recorded (or it was purged).</p>").toString();
        }
        int skipped = Math.max(0, entries.size() - MAX_ROWS);
        if (skipped > 0) {
            html.append("<p class=\"muted\">The ").append(skipped).append(" oldest entries are left out here; the JSON "
                    + "API has them.</p>");
        }
        html.append("<table id=\"timeline\"><tr><th>at</th><th>step</th><th>transition</th><th>attempt</th>"
                + "<th>action</th><th>error</th><th>signal</th><th>orchestrator</th></tr>");
        for (HistoryEntry e : entries.subList(skipped, entries.size())) {
            html.append("<tr class=\"entry\"><td>").append(Html.time(e.at())).append("</td><td>")
                    .append(e.stepName() == null ? "<span class=\"muted\">pipeline</span>" : esc(e.stepName()))
                    .append("</td><td>").append(e.fromStatus() == null ? "" : Html.badge(e.fromStatus()) + " → ")
                    .append(Html.badge(e.toStatus())).append("</td><td class=\"num\">").append(e.attempt())
                    .append("</td><td>").append(action(e)).append("</td><td>").append(error(e)).append("</td><td>")
                    .append(esc(e.signal())).append("</td><td>").append(esc(e.orchestratorId())).append("</td></tr>");
        }
        return html.append("</table>").toString();
    }

    private static String action(HistoryEntry e) {
        if (e.action() == null) {
            return "";
        }
        return "<b>" + esc(e.action()) + "</b>" + (e.actor() == null ? "" : " by " + esc(e.actor()))
                + (e.reason() == null ? "" : ": " + esc(e.reason()));
    }

    private static String error(HistoryEntry e) {
        if (e.errorType() == null && e.errorMessage() == null) {
            return "";
        }
        String headline = (e.errorType() == null ? "" : e.errorType() + ": ")
                + (e.errorMessage() == null ? "" : e.errorMessage());
        if (e.errorStack() == null) {
            return Html.firstLine(headline, 200);
        }
        return "<details><summary>" + Html.firstLine(headline, 200) + "</summary><pre class=\"error\">"
                + esc(e.errorStack()) + "</pre></details>";
    }

    static List<Map<String, Object>> json(List<HistoryEntry> entries) {
        return entries.stream().map(e -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", e.id().toString());
            json.put("step", e.stepName());
            json.put("from", e.fromStatus() == null ? null : e.fromStatus().value());
            json.put("to", e.toStatus().value());
            json.put("attempt", e.attempt());
            json.put("orchestrator", e.orchestratorId());
            json.put("at", Api.text(e.at()));
            json.put("errorType", e.errorType());
            json.put("errorMessage", e.errorMessage());
            json.put("errorStack", e.errorStack());
            json.put("signal", e.signal());
            json.put("action", e.action());
            json.put("actor", e.actor());
            json.put("reason", e.reason());
            return json;
        }).toList();
    }
}
