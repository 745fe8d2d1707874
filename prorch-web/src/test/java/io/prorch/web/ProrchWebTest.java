package io.prorch.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.Orchestrator;
import io.prorch.PipelineView;
import io.prorch.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The page as a plain function: reads, escaping, bad input. Actions: {@link ActionsTest}. */
class ProrchWebTest {
    private final Orchestrator orchestrator = Shop.orchestrator();
    private final ProrchWeb web = ProrchWeb.builder(orchestrator).build();

    @AfterEach
    void close() {
        orchestrator.close();
    }

    private WebResponse get(String target) {
        return web.handle(WebRequest.of("GET", target));
    }

    @Nested
    class Reads {
        @Test
        void theFrontPageCountsByStatusAndNameAndListsThePipelines() throws Exception {
            PipelineView finished = Shop.order(orchestrator, "order-1", Map.of("order", "order-1"));
            PipelineView failed = Shop.failedOrder(orchestrator, "order-2");

            WebResponse page = get("/");

            assertThat(page.status()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.bodyText()).contains("<table id=\"counts\">", "Order", "order-1", "order-2",
                    finished.id().toString(), failed.id().toString(), "payment service down");
            assertThat(page.headers()).containsKey("Content-Security-Policy").containsKey("Set-Cookie");
        }

        @Test
        void theListFiltersByStatusNameAndKey() throws Exception {
            Shop.order(orchestrator, "order-1", Map.of("order", "order-1"));
            PipelineView failed = Shop.failedOrder(orchestrator, "order-2");

            String failedOnly = get("/api/pipelines?status=failed").bodyText();
            String byKey = get("/api/pipelines?key=order-1").bodyText();
            String refunds = get("/api/pipelines?name=Refund").bodyText();

            assertThat(failedOnly).contains(failed.id().toString()).doesNotContain("order-1");
            assertThat(byKey).contains("order-1").doesNotContain("order-2");
            assertThat(refunds).isEqualTo("{\"items\":[],\"next\":null}");
        }

        @Test
        void keysetPagesCoverEveryPipelineOnceNewestFirst() throws Exception {
            for (int i = 0; i < 5; i++) {
                Shop.order(orchestrator, "order-" + i, Map.of("order", "order-" + i));
            }
            Set<String> seen = new HashSet<>();
            String target = "/api/pipelines?limit=2";
            int pages = 0;
            while (target != null && pages < 10) {
                String json = get(target).bodyText();
                Matcher ids = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(json);
                while (ids.find()) {
                    assertThat(seen.add(ids.group(1))).as("seen once").isTrue();
                }
                Matcher next = Pattern.compile("\"next\":\"([^\"]+)\"").matcher(json);
                target = next.find() ? "/api/pipelines?limit=2&after=" + next.group(1) : null;
                pages++;
            }

            assertThat(seen).hasSize(5);
            assertThat(pages).isEqualTo(3);
        }

        @Test
        void theListFiltersByCreationAndUpdateTime() throws Exception {
            PipelineView p = Shop.order(orchestrator, "order-1", Map.of("order", "order-1"));
            String from = p.createdAt().toString();
            String after = p.updatedAt().plusSeconds(1).toString();

            assertThat(get("/api/pipelines?createdFrom=" + from).bodyText()).contains(p.id().toString());
            assertThat(get("/api/pipelines?updatedFrom=" + after).bodyText()).doesNotContain(p.id().toString());
            assertThat(get("/?createdFrom=" + from + "&limit=1").bodyText()).contains(p.id().toString());
        }

        @Test
        void theDetailShowsStepsDiagramErrorWithStackAndMetadata() throws Exception {
            PipelineView failed = Shop.failedOrder(orchestrator, "order-7");

            String page = get("/pipelines/" + failed.id()).bodyText();

            assertThat(page).contains("<svg", "data-step=\"Charge\"", "st-failed current",
                    "payment service down: card declined for order order-7", "at io.prorch.web.Shop$Charge.onStart",
                    "&quot;reserved&quot; : true", "&quot;order&quot; : &quot;order-7&quot;");
        }

        @Test
        void theTimelineShowsEveryTransitionWithTheFailuresStack() throws Exception {
            PipelineView failed = Shop.failedOrder(orchestrator, "order-9");

            String page = get("/pipelines/" + failed.id()).bodyText();
            String json = get("/api/pipelines/" + failed.id() + "/history").bodyText();

            assertThat(page).contains("<table id=\"timeline\">", "<details><summary>java.lang.IllegalStateException: "
                    + "payment service down");
            assertThat(page.split("<tr class=\"entry\">", -1).length - 1)
                    .isEqualTo(orchestrator.history(failed.id()).size()).isGreaterThanOrEqualTo(4);
            assertThat(json).startsWith("[{").contains("\"step\":\"Charge\"", "\"to\":\"failed\"",
                    "\"errorType\":\"java.lang.IllegalStateException\"");
            assertThat(get("/api/pipelines/7f3c0a52-5d1e-4c47-9a0e-2b8f6d4c1e90/history").status()).isEqualTo(404);
        }

        @Test
        void theJsonApiServesCountsDefinitionsAndOnePipeline() throws Exception {
            PipelineView failed = Shop.failedOrder(orchestrator, "order-8");

            String statuses = "\"created\":0,\"pending\":0,\"finished\":0,\"failed\":1,\"cancelled\":0,\"compensated\":0";
            assertThat(get("/api/counts").bodyText()).isEqualTo("{\"byStatus\":{" + statuses
                    + "},\"byName\":{\"Order\":{" + statuses + "}},\"estimated\":false}");
            assertThat(get("/api/definitions").bodyText()).contains("{\"name\":\"Order\",\"type\":\""
                    + Shop.Order.class.getName() + "\",\"steps\":[\"Reserve\",\"Charge\",\"Ship\"]}");
            String one = get("/api/pipelines/" + failed.id()).bodyText();
            assertThat(one).contains("\"status\":\"failed\"", "\"version\":" + failed.version(),
                    "\"metadata\":{\"order\":\"order-8\"}");
        }

        @Test
        void theDefinitionsPageDrawsEachPipeline() {
            String page = get("/definitions").bodyText();

            assertThat(page).contains("<h2>Order", "<h2>Refund", "data-step=\"Reserve\"", "data-step=\"Ship\"");
            assertThat(page).doesNotContain("current");
        }
    }

    @Nested
    class Escaping {
        @Test
        void metadataAndKeysAreEscapedEverywhere() throws Exception {
            String evil = "<script>document.title='pwned'</script>";
            PipelineView p = Shop.order(orchestrator, "k" + evil, Map.of("order", evil, "o'\"&", "x"));

            String list = get("/").bodyText();
            String detail = get("/pipelines/" + p.id()).bodyText();

            assertThat(list).doesNotContain("<script").contains("k&lt;script&gt;document.title=&#39;pwned&#39;");
            assertThat(detail).doesNotContain("<script").contains("&lt;script&gt;", "o&#39;\\&quot;&amp;");
        }

        @Test
        void largeMetadataIsCutOnThePageButWholeInTheApi() throws Exception {
            ProrchWeb small = ProrchWeb.builder(orchestrator).maxMetadataChars(200).build();
            PipelineView p = Shop.order(orchestrator, "big", Map.of("order", "x".repeat(5000)));

            String page = small.handle(WebRequest.of("GET", "/pipelines/" + p.id())).bodyText();
            String api = small.handle(WebRequest.of("GET", "/api/pipelines/" + p.id())).bodyText();

            assertThat(page).contains("(cut: 200 of ").doesNotContain("x".repeat(300));
            assertThat(api).contains("x".repeat(5000));
        }
    }

    @Nested
    class BadInput {
        @Test
        void unknownPathsIdsAndPipelinesAnswer404WithAWayOn() {
            assertThat(get("/nowhere").status()).isEqualTo(404);
            assertThat(get("/nowhere").bodyText()).contains("Nothing at /nowhere");
            assertThat(get("/pipelines/not-a-uuid").bodyText()).contains("is not a pipeline id");
            assertThat(get("/api/pipelines/7f3c0a52-5d1e-4c47-9a0e-2b8f6d4c1e90").status()).isEqualTo(404);
            assertThat(get("/api/pipelines/7f3c0a52-5d1e-4c47-9a0e-2b8f6d4c1e90").bodyText())
                    .isEqualTo("{\"status\":404,\"error\":\"No pipeline with id 7f3c0a52-5d1e-4c47-9a0e-2b8f6d4c1e90;"
                            + " it may have been deleted\"}");
        }

        @Test
        void malformedParametersAnswer400NamingTheParameter() {
            assertThat(get("/api/pipelines?status=done").bodyText()).contains("Parameter status", "done",
                    "created, pending, finished, failed, cancelled");
            assertThat(get("/api/pipelines?limit=0").bodyText()).contains("Parameter limit", "1 to 1000");
            assertThat(get("/api/pipelines?limit=ten").status()).isEqualTo(400);
            assertThat(get("/api/pipelines?name=" + "n".repeat(201)).bodyText()).contains("Parameter name is 201");
            assertThat(get("/api/pipelines?after=garbage").bodyText()).contains("Malformed cursor \\\"garbage\\\"");
            assertThat(get("/api/pipelines?createdFrom=yesterday").bodyText())
                    .contains("Parameter createdFrom must be an ISO-8601 instant");
            assertThat(get("/api/pipelines?createdFrom=2026-12-07T00:00:00Z&createdTo=2026-12-06T00:00:00Z")
                    .bodyText()).contains("created range");
            assertThat(get("/?status=<b>").bodyText()).contains("&lt;b&gt;").doesNotContain("<b>");
        }

        @Test
        void emptyParametersMeanNoFilter() throws Exception {
            Shop.order(orchestrator, "order-1", Map.of("order", "order-1"));

            assertThat(get("/api/pipelines?status=&name=&key=").bodyText()).contains("order-1");
        }

        @Test
        void otherMethodsAnswer405() {
            WebResponse put = web.handle(WebRequest.of("PUT", "/"));

            assertThat(put.status()).isEqualTo(405);
            assertThat(put.headers()).containsEntry("Allow", "GET, POST");
        }

        @Test
        void requestsAndTheBuilderRejectBadValues() {
            assertThatThrownBy(() -> WebRequest.of("GET", "nowhere")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("path must start with /");
            assertThatThrownBy(() -> new WebRequest("GET", "/", Map.of(), Map.of(), Map.of(), "/x/", null))
                    .hasMessageContaining("mountPath");
            assertThatThrownBy(() -> web.handle(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ProrchWeb.builder(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ProrchWeb.builder(orchestrator).port(70_000))
                    .hasMessageContaining("port must be between 0 and 65535, but was 70000");
            assertThatThrownBy(() -> ProrchWeb.builder(orchestrator).pageSize(0)).hasMessageContaining("pageSize");
            assertThatThrownBy(() -> ProrchWeb.builder(orchestrator).bindAddress("no.such.host.invalid"))
                    .hasMessageContaining("no.such.host.invalid");
            assertThatThrownBy(() -> ProrchWeb.builder(orchestrator).authorizer(null))
                    .isInstanceOf(NullPointerException.class);
        }

        @Test
        void headerNamesMatchInAnyCase() {
            WebRequest request = new WebRequest("get", "/", Map.of(), Map.of(), Map.of("X-Thing", List.of("1")), "",
                    null);

            assertThat(request.header("x-THING")).isEqualTo("1");
            assertThat(request.method()).isEqualTo("GET");
        }
    }

    @Test
    void aPageMountedUnderAPathLinksBelowIt() throws Exception {
        PipelineView p = Shop.order(orchestrator, "order-1", Map.of("order", "order-1"));
        WebRequest mounted = new WebRequest("GET", "/", Map.of(), Map.of(), Map.of(), "/ops/prorch", null);

        String page = web.handle(mounted).bodyText();

        assertThat(page).contains("href=\"/ops/prorch/pipelines/" + p.id() + "\"", "href=\"/ops/prorch/style.css\"");
        assertThat(p.status()).isEqualTo(Status.FINISHED);
    }
}
