package io.prorch.web.internal;

import static io.prorch.web.internal.Html.esc;

import io.prorch.PipelineCounts;
import io.prorch.PipelineDefinitionView;
import io.prorch.PipelinePage;
import io.prorch.PipelineSummary;
import io.prorch.Status;
import java.util.List;
import java.util.Map;

/** The front page: counts by status and by name, the filter form, and one page of the filtered list. */
final class OverviewPage {
    private OverviewPage() {
    }

    static String render(Call call, PipelineCounts counts, Filter filter, PipelinePage page,
                         List<PipelineDefinitionView> definitions) {
        StringBuilder body = new StringBuilder("<h1>Pipelines</h1>");
        body.append(counts(call, counts));
        body.append(filterForm(call, filter, definitions));
        body.append(list(call, filter, page));
        return Html.page(call, "Pipelines", body.toString());
    }

    private static String counts(Call call, PipelineCounts counts) {
        StringBuilder html = new StringBuilder("<h2>Counts</h2><table id=\"counts\"><tr><th>pipeline</th>");
        for (Status s : Status.values()) {
            html.append("<th>").append(Html.badge(s)).append("</th>");
        }
        html.append("</tr><tr><th>all</th>");
        for (Status s : Status.values()) {
            html.append(countCell(call, null, s, counts.byStatus()));
        }
        html.append("</tr>");
        counts.byName().forEach((name, byStatus) -> {
            html.append("<tr><th>").append(esc(name)).append("</th>");
            for (Status s : Status.values()) {
                html.append(countCell(call, name, s, byStatus));
            }
            html.append("</tr>");
        });
        html.append("</table>");
        if (counts.estimated()) {
            html.append("<p class=\"muted\">The finished counts are the store's estimate.</p>");
        }
        return html.toString();
    }

    private static String countCell(Call call, String name, Status status, Map<Status, Long> counts) {
        long n = counts.getOrDefault(status, 0L);
        if (n == 0) {
            return "<td class=\"num muted\">0</td>";
        }
        String href = call.link("/?status=" + status.value() + (name == null ? "" : "&name=" + Html.url(name)));
        return "<td class=\"num\"><a href=\"" + esc(href) + "\">" + n + "</a></td>";
    }

    private static String filterForm(Call call, Filter filter, List<PipelineDefinitionView> definitions) {
        StringBuilder html = new StringBuilder("<h2>List</h2>")
                .append("<form class=\"filter\" id=\"filter\" method=\"get\" action=\"")
                .append(esc(call.link("/"))).append("\"><label>status <select name=\"status\" id=\"status\">")
                .append("<option value=\"\">any</option>");
        for (Status s : Status.values()) {
            html.append("<option value=\"").append(s.value()).append('"')
                    .append(filter.statuses().equals(java.util.EnumSet.of(s)) ? " selected" : "").append('>')
                    .append(s.value()).append("</option>");
        }
        html.append("</select></label><label>name <select name=\"name\" id=\"name\"><option value=\"\">any</option>");
        for (PipelineDefinitionView d : definitions) {
            html.append("<option value=\"").append(esc(d.name())).append('"')
                    .append(d.name().equals(filter.name()) ? " selected" : "").append('>').append(esc(d.name()))
                    .append("</option>");
        }
        return html.append("</select></label><label>key <input name=\"key\" id=\"key\" maxlength=\"")
                .append(Filter.MAX_TEXT).append("\" value=\"").append(esc(filter.key()))
                .append("\"></label><button type=\"submit\" id=\"apply\">Filter</button></form>").toString();
    }

    private static String list(Call call, Filter filter, PipelinePage page) {
        if (page.items().isEmpty()) {
            return "<p class=\"muted\" id=\"empty\">No pipeline matches.</p>";
        }
        StringBuilder html = new StringBuilder("<table id=\"pipelines\"><tr><th>id</th><th>name</th><th>key</th>"
                + "<th>status</th><th>current step</th><th>updated</th><th>last error</th></tr>");
        for (PipelineSummary r : page.items()) {
            html.append("<tr class=\"pipeline\" data-id=\"").append(r.id()).append("\"><td><a class=\"open\" href=\"")
                    .append(esc(call.link("/pipelines/" + r.id()))).append("\">").append(Html.shortId(r.id()))
                    .append("</a></td><td>").append(esc(r.name())).append("</td><td>").append(esc(r.businessKey()))
                    .append("</td><td>").append(Html.badge(r.status())).append("</td><td>").append(esc(r.currentStep()))
                    .append("</td><td>").append(Html.time(r.updatedAt())).append("</td><td>")
                    .append(Html.firstLine(r.lastError(), 120)).append("</td></tr>");
        }
        html.append("</table>");
        if (page.nextCursor() != null) {
            html.append("<p><a id=\"next\" href=\"").append(esc(call.link("/" + filter.query(page.nextCursor()))))
                    .append("\">Next page →</a></p>");
        }
        return html.toString();
    }
}
