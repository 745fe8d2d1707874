package io.prorch.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Orchestrator;
import io.prorch.PipelineView;
import io.prorch.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Operator actions: off by default, then only with a CSRF token, the Authorizer's consent and the version seen. */
class ActionsTest {
    private final Orchestrator orchestrator = Shop.orchestrator();
    private final List<String> asked = new ArrayList<>();
    private final ProrchWeb web = ProrchWeb.builder(orchestrator).actionsEnabled(true)
            .authorizer((request, action, id) -> {
                asked.add(request.principal() + " " + action + " " + id);
                return !"intruder".equals(request.principal());
            }).build();

    @AfterEach
    void close() {
        orchestrator.close();
    }

    private String token() {
        Matcher m = Pattern.compile("\"token\":\"([^\"]+)\"")
                .matcher(web.handle(WebRequest.of("GET", "/api/csrf")).bodyText());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private WebResponse post(ProrchWeb target, String path, Map<String, String> form, Map<String, String> headers,
                             String principal) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        form.forEach((k, v) -> fields.put(k, List.of(v)));
        Map<String, List<String>> head = new LinkedHashMap<>();
        headers.forEach((k, v) -> head.put(k, List.of(v)));
        return target.handle(new WebRequest("POST", path, Map.of(), fields, head, "", principal));
    }

    private WebResponse apiPost(UUID id, String action, Map<String, String> form) {
        return post(web, "/api/pipelines/" + id + "/" + action, form, Map.of("X-Prorch-Csrf", token()), "alice");
    }

    @Test
    void actionsAreOffByDefault() throws Exception {
        ProrchWeb readOnly = ProrchWeb.builder(orchestrator).authorizer(Authorizer.allowAll()).build();
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1");

        WebResponse refused = post(readOnly, "/api/pipelines/" + failed.id() + "/retry",
                Map.of("version", "" + failed.version()), Map.of(), null);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.bodyText()).contains("Operator actions are disabled", "actionsEnabled(true)");
        assertThat(readOnly.handle(WebRequest.of("GET", "/pipelines/" + failed.id())).bodyText())
                .doesNotContain("<form class=\"action\"");
        assertThat(orchestrator.find(failed.id()).orElseThrow().status()).isEqualTo(Status.FAILED);
    }

    @Test
    void theDefaultAuthorizerDeniesEveryAction() throws Exception {
        ProrchWeb enabledOnly = ProrchWeb.builder(orchestrator).actionsEnabled(true).build();
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1");
        String token = token();
        String other = "";
        for (WebAction action : WebAction.values()) {
            if (!action.appliesToPipeline()) {
                continue;
            }
            WebResponse refused = post(enabledOnly, "/api/pipelines/" + failed.id() + "/" + action.pathName(),
                    Map.of("version", "" + failed.version(), "step", "Reserve"),
                    Map.of("X-Prorch-Csrf", tokenOf(enabledOnly)), null);
            assertThat(refused.status()).as(action.name()).isEqualTo(403);
            other = refused.bodyText();
        }
        assertThat(other).contains("the Authorizer refused restart-from");
        assertThat(token).isNotEqualTo(tokenOf(enabledOnly));
        assertThat(orchestrator.find(failed.id()).orElseThrow().version()).isEqualTo(failed.version());
    }

    private static String tokenOf(ProrchWeb target) {
        Matcher m = Pattern.compile("\"token\":\"([^\"]+)\"")
                .matcher(target.handle(WebRequest.of("GET", "/api/csrf")).bodyText());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void aPostWithoutTheTokenOrFromAnotherSiteIsRefused() throws Exception {
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1");
        String path = "/pipelines/" + failed.id() + "/retry";
        Map<String, String> version = Map.of("version", "" + failed.version());
        String token = token();

        WebResponse noToken = post(web, path, version, Map.of(), "alice");
        WebResponse wrongHeader = post(web, "/api" + path, version, Map.of("X-Prorch-Csrf", "guess"), "alice");
        WebResponse noCookie = post(web, path, Map.of("version", "" + failed.version(), "_csrf", token), Map.of(),
                "alice");
        WebResponse otherOrigin = post(web, "/api" + path, version, Map.of("X-Prorch-Csrf", token,
                "Origin", "https://evil.example", "Host", "127.0.0.1:8080"), "alice");
        WebResponse crossSite = post(web, "/api" + path, version, Map.of("X-Prorch-Csrf", token,
                "Sec-Fetch-Site", "cross-site"), "alice");

        assertThat(List.of(noToken, wrongHeader, noCookie, otherOrigin, crossSite))
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(403));
        assertThat(noToken.bodyText()).contains("CSRF", "_csrf");
        assertThat(noCookie.bodyText()).contains("prorch_csrf cookie");
        assertThat(otherOrigin.bodyText()).contains("Origin https://evil.example");
        assertThat(crossSite.bodyText()).contains("cross-site");
        assertThat(asked).as("the Authorizer is not even asked").isEmpty();
        assertThat(orchestrator.find(failed.id()).orElseThrow().status()).isEqualTo(Status.FAILED);
    }

    @Test
    void aFormPostFromThePageRetriesAndRedirectsBackToThePipeline() throws Exception {
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1");
        String token = token();

        WebResponse done = post(web, "/pipelines/" + failed.id() + "/retry",
                Map.of("version", "" + failed.version(), "_csrf", token),
                Map.of("Cookie", "other=1; prorch_csrf=" + token, "Origin", "http://127.0.0.1:8080",
                        "Host", "127.0.0.1:8080", "Sec-Fetch-Site", "same-origin"), "alice");

        assertThat(done.status()).isEqualTo(303);
        assertThat(done.headers()).containsEntry("Location", "/pipelines/" + failed.id() + "?done=retry");
        assertThat(asked).containsExactly("alice RETRY " + failed.id());
        orchestrator.executePipelines();
        assertThat(orchestrator.find(failed.id()).orElseThrow().status()).isEqualTo(Status.FINISHED);
        assertThat(web.handle(WebRequest.of("GET", "/pipelines/" + failed.id())).bodyText())
                .contains("<b>retry</b> by alice");
    }

    @Test
    void theAuthorizerSeesWhoAsksAndCanRefuse() throws Exception {
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1");

        WebResponse refused = post(web, "/api/pipelines/" + failed.id() + "/retry",
                Map.of("version", "" + failed.version()), Map.of("X-Prorch-Csrf", token()), "intruder");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.bodyText()).contains("the Authorizer refused retry of pipeline " + failed.id()
                + " to intruder");
        assertThat(orchestrator.find(failed.id()).orElseThrow().status()).isEqualTo(Status.FAILED);
    }

    @Test
    void anAuthorizerThatThrowsDenies() throws Exception {
        ProrchWeb broken = ProrchWeb.builder(orchestrator).actionsEnabled(true)
                .authorizer((request, action, id) -> {
                    throw new IllegalStateException("directory down");
                }).build();
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1");

        WebResponse refused = post(broken, "/api/pipelines/" + failed.id() + "/retry",
                Map.of("version", "" + failed.version()), Map.of("X-Prorch-Csrf", tokenOf(broken)), null);

        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void actionsThatDoNotApplyAreRefusedWith409AndAMessage() throws Exception {
        PipelineView finished = Shop.order(orchestrator, "order-1", Map.of("order", "order-1"));
        PipelineView failed = Shop.failedOrder(orchestrator, "order-2");

        WebResponse retryFinished = apiPost(finished.id(), "retry", Map.of("version", "" + finished.version()));
        WebResponse stale = apiPost(failed.id(), "retry", Map.of("version", "" + (failed.version() - 1)));
        WebResponse cancelFinished = apiPost(finished.id(), "cancel", Map.of("version", "" + finished.version()));

        assertThat(retryFinished.status()).isEqualTo(409);
        assertThat(retryFinished.bodyText()).contains("retry refused");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.bodyText()).contains("changed since you saw it");
        assertThat(cancelFinished.status()).isEqualTo(409);
        assertThat(cancelFinished.bodyText()).contains("already ended (finished)");
    }

    @Test
    void malformedActionsAnswer400Or404() throws Exception {
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1");

        assertThat(apiPost(failed.id(), "retry", Map.of()).bodyText()).contains("Field version is missing");
        assertThat(apiPost(failed.id(), "retry", Map.of("version", "x")).bodyText()).contains("whole number");
        assertThat(apiPost(failed.id(), "restart-from", Map.of("version", "" + failed.version())).bodyText())
                .contains("Field step is missing");
        assertThat(apiPost(failed.id(), "restart-from", Map.of("version", "" + failed.version(), "step", "Nope"))
                .status()).isEqualTo(400);
        assertThat(apiPost(failed.id(), "explode", Map.of()).status()).isEqualTo(404);
        assertThat(apiPost(UUID.randomUUID(), "retry", Map.of("version", "1")).status()).isEqualTo(404);
        assertThat(orchestrator.find(failed.id()).orElseThrow().version()).isEqualTo(failed.version());
    }

    @Test
    void retryThenCancelThroughTheApiWithTheVersionEachAnswerGives() throws Exception {
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1");

        WebResponse retried = apiPost(failed.id(), "retry", Map.of("version", "" + failed.version()));
        PipelineView pending = orchestrator.find(failed.id()).orElseThrow();
        WebResponse cancelled = apiPost(failed.id(), "cancel", Map.of("version", "" + pending.version(),
                "reason", "customer called"));

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.bodyText()).contains("\"status\":\"pending\"", "\"version\":" + pending.version());
        assertThat(cancelled.status()).isEqualTo(200);
        PipelineView after = orchestrator.find(failed.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(Status.CANCELLED);
        assertThat(after.lastError()).contains("customer called");
        assertThat(orchestrator.history(failed.id())).filteredOn(e -> e.action() != null)
                .extracting(e -> e.action() + " by " + e.actor() + ": " + e.reason())
                .containsExactly("retry by alice: null", "cancel by alice: customer called");
    }

    @Test
    void restartFromReEntersTheNamedStep() throws Exception {
        PipelineView finished = Shop.order(orchestrator, "order-1", Map.of("order", "order-1"));

        WebResponse restarted = apiPost(finished.id(), "restart-from", Map.of("version", "" + finished.version(),
                "step", "Ship"));

        assertThat(restarted.status()).isEqualTo(200);
        PipelineView after = orchestrator.find(finished.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(Status.PENDING);
        assertThat(after.step("Ship").orElseThrow().status()).isEqualTo(Status.CREATED);
    }

    @Test
    void theDetailPageOffersTheActionsThatApply() throws Exception {
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1");

        String page = web.handle(WebRequest.of("GET", "/pipelines/" + failed.id())).bodyText();

        assertThat(page).contains("id=\"retry\"", "id=\"restart-from\"", "name=\"_csrf\" value=\"" + token() + "\"",
                "name=\"version\" value=\"" + failed.version() + "\"").doesNotContain("id=\"resume\"");
    }
}
