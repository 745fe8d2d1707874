package io.prorch.web.internal;

import static io.prorch.web.internal.Html.esc;

import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.StepView;
import java.util.List;

/** One pipeline: its fields, its steps drawn and listed, its last error with stack, metadata, timeline, actions. */
final class DetailPage {
    private DetailPage() {
    }

    static String render(Call call, PipelineView p, String timeline, String actions, Settings settings) {
        StringBuilder body = new StringBuilder("<h1>").append(esc(p.name())).append(' ')
                .append("<span class=\"muted\">").append(Html.shortId(p.id())).append("</span> ")
                .append("<span id=\"status\">").append(Html.badge(p.status())).append("</span></h1>");
        String done = call.param("done");
        if (done != null && done.matches("[a-z-]{1,20}")) {
            body.append("<p class=\"notice\" id=\"notice\">").append(esc(done)).append(" done.</p>");
        }
        body.append(Diagram.svg(p.name(), p.steps().stream().map(StepView::name).toList(),
                p.steps().stream().map(StepView::status).toList(), p.currentStep()));
        body.append(fields(p));
        body.append(actions);
        body.append(lastError(p));
        body.append(steps(p, settings));
        body.append("<h2>Metadata</h2><pre id=\"metadata\">")
                .append(esc(Json.pretty(p.metadata(), settings.maxMetadataChars()))).append("</pre>");
        body.append(timeline);
        return Html.page(call, p.name() + " " + Html.shortId(p.id()), body.toString());
    }

    private static String fields(PipelineView p) {
        String current = p.currentStep() < p.steps().size() ? p.steps().get(p.currentStep()).name() : "";
        return "<table id=\"fields\">"
                + row("id", esc(p.id())) + row("status", esc(p.status().value()))
                + row("current step", esc(current)) + row("version", String.valueOf(p.version()))
                + row("created", Html.time(p.createdAt())) + row("updated", Html.time(p.updatedAt()))
                + row("due", Html.time(p.dueAt())) + row("claimed by", esc(p.claimOwner()))
                + "</table>";
    }

    private static String row(String name, String valueHtml) {
        return "<tr><th>" + name + "</th><td>" + valueHtml + "</td></tr>";
    }

    /** The failed step's error (with its stack) if a step failed, else the pipeline's last error. */
    private static String lastError(PipelineView p) {
        String error = p.steps().stream().filter(s -> s.status() == Status.FAILED && s.lastError() != null)
                .map(StepView::lastError).findFirst().orElse(p.lastError());
        if (error == null) {
            return "";
        }
        return "<h2>Last error</h2><pre class=\"error\" id=\"error\">" + esc(error) + "</pre>";
    }

    private static String steps(PipelineView p, Settings settings) {
        StringBuilder html = new StringBuilder("<h2>Steps</h2><table id=\"steps\"><tr><th>#</th><th>step</th>"
                + "<th>status</th><th>attempts</th><th>updated</th><th>last error</th><th>metadata</th></tr>");
        List<StepView> steps = p.steps();
        for (StepView s : steps) {
            html.append("<tr").append(s.position() == p.currentStep() ? " class=\"current\"" : "").append("><td>")
                    .append(s.position()).append("</td><td>").append(esc(s.name())).append("</td><td>")
                    .append(Html.badge(s.status())).append("</td><td class=\"num\">").append(s.attempts())
                    .append("</td><td>").append(Html.time(s.updatedAt())).append("</td><td>")
                    .append(Html.firstLine(s.lastError(), 120)).append("</td><td>");
            if (!s.metadata().isEmpty()) {
                html.append("<details><summary>").append(s.metadata().size()).append(" key(s)</summary><pre>")
                        .append(esc(Json.pretty(s.metadata(), settings.maxMetadataChars()))).append("</pre></details>");
            }
            html.append("</td></tr>");
        }
        return html.append("</table>").toString();
    }
}
