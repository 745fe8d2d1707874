package io.prorch.web.internal;

import static io.prorch.web.internal.Html.esc;

import io.prorch.Operator;
import io.prorch.Orchestrator;
import io.prorch.PipelineChangedException;
import io.prorch.PipelineNotFoundException;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.StepView;
import java.util.List;
import java.util.UUID;

/**
 * The operator actions behind POST: retry, resume, cancel and restart-from, each conditional on the version the
 * operator saw, and each refused with a message that says why (409 when it does not apply to the pipeline as it is).
 */
final class OperatorActions {
    /** The actions by their path name. */
    static final List<String> ACTIONS = List.of("retry", "resume", "cancel", "restart-from");
    private static final int MAX_REASON = 500;

    private final Orchestrator orchestrator;

    OperatorActions(Orchestrator orchestrator) {
        this.orchestrator = orchestrator;
    }

    /**
     * Runs {@code action} (already authorised and CSRF-checked).
     *
     * @return the pipeline as it is after the action
     * @throws Problem 400 for a missing or bad field, 404 for an unknown pipeline, 409 when refused
     */
    PipelineView run(Call call, UUID id, String action) {
        long version = version(call.field("version"));
        Operator operator = orchestrator.operator(actor(call), reason(call, action));
        try {
            switch (action) {
                case "retry" -> operator.retry(id, version);
                case "resume" -> operator.resume(id, version);
                case "restart-from" -> operator.restartFrom(id, required(call, "step"), version);
                case "cancel" -> cancel(operator, id, version);
                default -> throw new Problem(404, "No action \"" + action + "\"; one of " + ACTIONS);
            }
        } catch (PipelineNotFoundException e) {
            throw new Problem(404, e.getMessage());
        } catch (PipelineChangedException | IllegalStateException e) {
            throw new Problem(409, action + " refused: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Problem(400, action + " refused: " + e.getMessage());
        }
        return orchestrator.find(id).orElseThrow(() -> new Problem(404, "Pipeline " + id + " is gone"));
    }

    /** Cancel takes no version in the core API: the page checks the version it saw first, then cancels. */
    private void cancel(Operator operator, UUID id, long version) {
        PipelineView now = orchestrator.find(id).orElseThrow(() -> new PipelineNotFoundException(id));
        if (now.version() != version) {
            throw new PipelineChangedException(id, version, now.version());
        }
        if (!operator.cancel(id)) {
            throw new IllegalStateException("pipeline " + id + " already ended (" + now.status().value()
                    + "); only a pipeline that has not ended can be cancelled");
        }
    }

    /** Who the history names: the host's user, or the page itself when the host authenticates no one. */
    private static String actor(Call call) {
        return call.principal() != null ? call.principal() : "anonymous (status page)";
    }

    /** The operator's reason, recorded in the history; a cancel without one says where it came from. */
    private static String reason(Call call, String action) {
        String reason = call.field("reason");
        if (reason == null || reason.isBlank()) {
            return action.equals("cancel") ? "cancelled from the status page" : null;
        }
        if (reason.length() > MAX_REASON) {
            throw new Problem(400, "Field reason is " + reason.length() + " characters long; at most " + MAX_REASON);
        }
        return reason.trim();
    }

    private static String required(Call call, String field) {
        String value = call.field(field);
        if (value == null || value.isBlank()) {
            throw new Problem(400, "Field " + field + " is missing; restart-from needs the name of a step");
        }
        return value;
    }

    private static long version(String value) {
        if (value == null || value.isBlank()) {
            throw new Problem(400, "Field version is missing: send the version you saw, so the action is refused if "
                    + "the pipeline changed since");
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new Problem(400, "Field version must be a whole number, not \""
                    + (value.length() > 20 ? value.substring(0, 20) : value) + "\"");
        }
    }

    /** @return the action forms for a pipeline's detail page, the buttons that apply to its status */
    static String forms(Call call, PipelineView p, Csrf csrf) {
        StringBuilder html = new StringBuilder("<h2>Actions</h2><div id=\"actions\">");
        if (p.status() == Status.FAILED) {
            html.append(form(call, p, csrf, "retry", ""));
        }
        if (p.status() == Status.PENDING) {
            html.append(form(call, p, csrf, "resume", ""));
        }
        if (!p.status().isTerminal()) {
            html.append(form(call, p, csrf, "cancel", "<input name=\"reason\" placeholder=\"reason\" maxlength=\""
                    + MAX_REASON + "\">"));
        }
        StringBuilder options = new StringBuilder("<select name=\"step\">");
        for (StepView s : p.steps()) {
            options.append("<option value=\"").append(esc(s.name())).append("\">").append(esc(s.name()))
                    .append("</option>");
        }
        html.append(form(call, p, csrf, "restart-from", options + "</select>"));
        return html.append("</div>").toString();
    }

    private static String form(Call call, PipelineView p, Csrf csrf, String action, String inputs) {
        return "<form class=\"action\" method=\"post\" action=\""
                + esc(call.link("/pipelines/" + p.id() + "/" + action)) + "\">" + csrf.field()
                + "<input type=\"hidden\" name=\"version\" value=\"" + p.version() + "\">" + inputs
                + "<button type=\"submit\" id=\"" + action + "\">" + action + "</button></form>";
    }
}
