package io.prorch.web.internal;

import io.prorch.Orchestrator;
import io.prorch.PipelineDefinitionView;
import io.prorch.PipelineView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole status page as a function from a {@link Call} to a {@link Reply}: pages, the JSON API under
 * {@code /api}, and the operator actions behind POST. Thread-safe; never throws.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                    + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "same-origin",
            "Cache-Control", "no-store");

    private final Orchestrator orchestrator;
    private final Settings settings;
    private final OperatorActions operator;
    private final Csrf csrf = new Csrf();
    private final byte[] css;

    /** @param settings checked by the caller */
    public Router(Orchestrator orchestrator, Settings settings) {
        this.orchestrator = orchestrator;
        this.settings = settings;
        this.operator = new OperatorActions(orchestrator);
        this.css = resource("style.css");
    }

    /** @return the reply to {@code call}; {@code gate} decides on operator actions */
    public Reply handle(Call call, Gate gate) {
        boolean api = call.path().startsWith("/api/") || call.path().equals("/api");
        Reply reply;
        try {
            reply = route(call, gate, api);
        } catch (Problem e) {
            reply = problem(call, api, e.status(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("prorch-web: {} {} failed", call.method(), call.path(), e);
            reply = problem(call, api, 500, "The status page failed: " + e);
        }
        return secured(reply);
    }

    /** @return {@code reply} with the page's security headers, which every answer of prorch-web carries */
    public static Reply secured(Reply reply) {
        Reply secured = reply;
        for (Map.Entry<String, String> h : SECURITY_HEADERS.entrySet()) {
            secured = secured.withHeader(h.getKey(), h.getValue());
        }
        return secured;
    }

    /** @return a JSON error answer in the API's shape: {@code {"status": 403, "error": "..."}} */
    public static Reply jsonError(int status, String message) {
        return Reply.json(status, Json.bytes(Api.error(status, message)));
    }

    private Reply route(Call call, Gate gate, boolean api) {
        String[] parts = call.path().split("/", -1);
        if (call.method().equals("POST")) {
            return post(call, gate, api, parts);
        }
        if (!call.method().equals("GET")) {
            return problem(call, api, 405, "Method " + call.method() + " is not served here; use GET, or POST for "
                    + "an action").withHeader("Allow", "GET, POST");
        }
        return api ? getApi(call, parts) : getPage(call, parts);
    }

    private Reply getPage(Call call, String[] parts) {
        Reply page;
        if (call.path().equals("/")) {
            Filter filter = Filter.of(call, settings.pageSize());
            page = Reply.html(200, OverviewPage.render(call, orchestrator.counts(), filter,
                    orchestrator.query(filter.query()), orchestrator.definitions()));
        } else if (call.path().equals("/style.css")) {
            return new Reply(200, "text/css; charset=utf-8", Map.of(), css);
        } else if (call.path().equals("/definitions")) {
            page = Reply.html(200, definitionsPage(call, orchestrator.definitions()));
        } else if (parts.length == 3 && parts[1].equals("pipelines")) {
            PipelineView p = find(parts[2]);
            String actions = settings.actionsEnabled() ? OperatorActions.forms(call, p, csrf) : "";
            page = Reply.html(200, DetailPage.render(call, p, Timeline.html(orchestrator.history(p.id())), actions,
                    settings));
        } else {
            throw notFound(call);
        }
        return page.withHeader("Set-Cookie", csrf.cookie(call));
    }

    private Reply getApi(Call call, String[] parts) {
        Object json;
        if (call.path().equals("/api/pipelines")) {
            json = Api.page(orchestrator.query(Filter.of(call, settings.pageSize()).query()));
        } else if (parts.length == 4 && parts[2].equals("pipelines")) {
            json = Api.pipeline(find(parts[3]));
        } else if (parts.length == 5 && parts[2].equals("pipelines") && parts[4].equals("history")) {
            json = Timeline.json(orchestrator.history(find(parts[3]).id()));
        } else if (call.path().equals("/api/counts")) {
            json = Api.counts(orchestrator.counts());
        } else if (call.path().equals("/api/definitions")) {
            json = Api.definitions(orchestrator.definitions());
        } else if (call.path().equals("/api/csrf")) {
            json = Map.of("header", Csrf.HEADER, "token", csrf.token());
        } else {
            throw notFound(call);
        }
        return Reply.json(200, Json.bytes(json));
    }

    private Reply post(Call call, Gate gate, boolean api, String[] parts) {
        int offset = api ? 1 : 0;
        if (parts.length != 4 + offset || !parts[1 + offset].equals("pipelines")) {
            throw notFound(call);
        }
        String action = parts[3 + offset];
        if (!OperatorActions.ACTIONS.contains(action)) {
            throw new Problem(404, "No action \"" + action + "\"; POST one of " + OperatorActions.ACTIONS);
        }
        if (!settings.actionsEnabled()) {
            throw new Problem(403, "Operator actions are disabled; the host application enables them with "
                    + "ProrchWeb.builder(..).actionsEnabled(true) and an Authorizer");
        }
        csrf.check(call);
        UUID id = id(parts[2 + offset]);
        if (!gate.permits(action, id)) {
            throw new Problem(403, "Not allowed: the Authorizer refused " + action + " of pipeline " + id
                    + (call.principal() == null ? " to an anonymous user" : " to " + call.principal()));
        }
        PipelineView after = operator.run(call, id, action);
        LOG.info("prorch-web: {} of pipeline {} by {}", action, id, call.principal() == null ? "anonymous"
                : call.principal());
        if (api) {
            return Reply.json(200, Json.bytes(Api.pipeline(after)));
        }
        return Reply.seeOther(call.link("/pipelines/" + id + "?done=" + action));
    }

    private PipelineView find(String idText) {
        UUID id = id(idText);
        return orchestrator.find(id).orElseThrow(() -> new Problem(404, "No pipeline with id " + id
                + "; it may have been deleted"));
    }

    private static UUID id(String text) {
        try {
            if (text.length() == 36) {
                return UUID.fromString(text);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new Problem(404, "\"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text)
                + "\" is not a pipeline id (a UUID such as 7f3c0a52-5d1e-4c47-9a0e-2b8f6d4c1e90)");
    }

    private static Problem notFound(Call call) {
        return new Problem(404, "Nothing at " + (call.path().length() > 100 ? call.path().substring(0, 100) + "…"
                : call.path()) + "; see " + call.link("/") + " or the API under " + call.link("/api/pipelines"));
    }

    private static Reply problem(Call call, boolean api, int status, String message) {
        return api ? Reply.json(status, Json.bytes(Api.error(status, message)))
                : Reply.html(status, Html.problem(call, status, message));
    }

    private static String definitionsPage(Call call, List<PipelineDefinitionView> definitions) {
        StringBuilder body = new StringBuilder("<h1>Definitions</h1>");
        for (PipelineDefinitionView d : definitions) {
            body.append("<section class=\"definition\"><h2>").append(Html.esc(d.name()))
                    .append(" <span class=\"muted\">")
                    .append(Html.esc(d.type())).append("</span></h2>")
                    .append(Diagram.svg(d.name(), d.steps(), null, -1)).append("</section>");
        }
        return Html.page(call, "Definitions", body.toString());
    }

    private static byte[] resource(String name) {
        try (InputStream in = Router.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("prorch-web's " + name + " is missing from the jar; rebuild it");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
