package io.prorch.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.Orchestrator;
import io.prorch.PipelineView;
import io.prorch.Status;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Endpoints of another module beside the page, over real HTTP: one server, one Authorizer, the page's rules kept. */
@Timeout(60)
class WebRoutesTest {
    private final Orchestrator orchestrator = Shop.orchestrator();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> asked = new ArrayList<>();
    private final Authorizer admins = (request, action, id) -> {
        asked.add(action + " " + id);
        return "admin".equals(request.header("X-User"));
    };

    /** Echoes what it received; a POST is a registration, which the guard decides on. */
    static class Echo implements WebRoutes {
        @Override
        public Set<String> segments() {
            return Set.of("echo");
        }

        @Override
        public int maxBodyBytes() {
            return 100_000;
        }

        @Override
        public WebResponse handle(WebRequest request, WebGuard guard) {
            if (request.method().equals("POST")) {
                Optional<WebResponse> refusal = guard.refusal(WebAction.REGISTER_SERVICE, null);
                if (refusal.isPresent()) {
                    return refusal.get();
                }
            }
            return new WebResponse(200, "text/plain; charset=utf-8", Map.of(), (request.method() + " "
                    + request.path() + " " + request.body().length).getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterEach
    void close() {
        orchestrator.close();
    }

    private WebServer start(WebRoutes routes) {
        return ProrchWeb.builder(orchestrator).actionsEnabled(true).authorizer(admins).routes(routes).build().start();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder post(URI url, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    @Test
    void routesAnswerOnThePagesServerAndThePageKeepsItsOwnPathsAndLimits() throws Exception {
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1");
        try (WebServer server = start(new Echo())) {
            HttpResponse<String> echoed = send(HttpRequest.newBuilder(server.url().resolve("echo/a%20b")));
            HttpResponse<String> page = send(HttpRequest.newBuilder(server.url()));
            HttpResponse<String> large = send(post(server.url().resolve("echo"), "x".repeat(50_000), "X-User",
                    "admin"));
            HttpResponse<String> tooLarge = send(post(server.url().resolve("echo"), "x".repeat(100_001), "X-User",
                    "admin"));
            HttpResponse<String> largeForm = send(post(server.url().resolve("api/pipelines/" + failed.id()
                    + "/retry"), "a=" + "x".repeat(20_000), "Content-Type", "application/x-www-form-urlencoded"));

            assertThat(echoed.statusCode()).isEqualTo(200);
            assertThat(echoed.body()).isEqualTo("GET /echo/a b 0");
            assertThat(echoed.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Order");
            assertThat(large.statusCode()).isEqualTo(200);
            assertThat(large.body()).isEqualTo("POST /echo 50000");
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            assertThat(largeForm.statusCode()).as("the page's own limit").isEqualTo(413);
        }
    }

    @Test
    void guardedRoutesAskTheSameAuthorizerAsTheActionsAndRefuseOtherSites() throws Exception {
        try (WebServer server = start(new Echo())) {
            URI echo = server.url().resolve("echo");

            HttpResponse<String> anonymous = send(post(echo, "{}"));
            HttpResponse<String> admin = send(post(echo, "{}", "X-User", "admin"));
            int askedBefore = asked.size();
            HttpResponse<String> otherOrigin = send(post(echo, "{}", "X-User", "admin", "Origin",
                    "https://evil.example"));
            HttpResponse<String> crossSite = send(post(echo, "{}", "X-User", "admin", "Sec-Fetch-Site",
                    "cross-site"));

            assertThat(anonymous.statusCode()).isEqualTo(403);
            assertThat(anonymous.body()).contains("the Authorizer refused register-service to an anonymous user");
            assertThat(admin.statusCode()).isEqualTo(200);
            assertThat(asked.subList(0, askedBefore)).containsExactly("REGISTER_SERVICE null",
                    "REGISTER_SERVICE null");
            assertThat(List.of(otherOrigin, crossSite)).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(403);
                assertThat(r.body()).contains("CSRF");
            });
            assertThat(otherOrigin.body()).contains("https://evil.example");
            assertThat(asked).as("the Authorizer is not asked for another site's request").hasSize(askedBefore);
        }
    }

    @Test
    void thePagesFormsKeepTheirCsrfRulesWithRoutesMounted() throws Exception {
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1");
        try (WebServer server = start(new Echo())) {
            HttpResponse<String> detail = send(HttpRequest.newBuilder(server.url().resolve("pipelines/"
                    + failed.id())));
            Matcher field = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(detail.body());
            assertThat(field.find()).isTrue();
            String token = field.group(1);
            String cookie = detail.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            URI retry = server.url().resolve("pipelines/" + failed.id() + "/retry");
            String form = "version=" + failed.version();
            String type = "application/x-www-form-urlencoded";

            HttpResponse<String> noToken = send(post(retry, form, "Content-Type", type, "Cookie", cookie,
                    "X-User", "admin"));
            HttpResponse<String> noCookie = send(post(retry, form + "&_csrf=" + token, "Content-Type", type,
                    "X-User", "admin"));
            HttpResponse<String> otherSite = send(post(retry, form + "&_csrf=" + token, "Content-Type", type,
                    "Cookie", cookie, "X-User", "admin", "Origin", "https://evil.example"));
            assertThat(orchestrator.find(failed.id()).orElseThrow().status()).isEqualTo(Status.FAILED);
            HttpResponse<String> fromThePage = send(post(retry, form + "&_csrf=" + token, "Content-Type", type,
                    "Cookie", cookie, "X-User", "admin"));

            assertThat(List.of(noToken, noCookie, otherSite)).allSatisfy(r -> assertThat(r.statusCode())
                    .isEqualTo(403));
            assertThat(noToken.body()).contains("_csrf");
            assertThat(noCookie.body()).contains("prorch_csrf cookie");
            assertThat(otherSite.body()).contains("Origin https://evil.example");
            assertThat(fromThePage.statusCode()).isEqualTo(303);
            assertThat(orchestrator.find(failed.id()).orElseThrow().status()).isNotEqualTo(Status.FAILED);
            assertThat(asked).containsExactly("RETRY " + failed.id());
        }
    }

    @Test
    void routesThatThrowAnswer500AndTheRestGoesOn() throws Exception {
        WebRoutes broken = new Echo() {
            @Override
            public WebResponse handle(WebRequest request, WebGuard guard) {
                throw new IllegalStateException("broken routes");
            }
        };
        try (WebServer server = start(broken)) {
            HttpResponse<String> failed = send(HttpRequest.newBuilder(server.url().resolve("echo")));
            HttpResponse<String> page = send(HttpRequest.newBuilder(server.url().resolve("api/counts")));

            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).contains("broken routes");
            assertThat(page.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void routesMayNotClaimThePagesSegmentsOrAnotherRoutesOnes() {
        ProrchWeb.Builder builder = ProrchWeb.builder(orchestrator).routes(new Echo());

        assertThatThrownBy(() -> builder.routes(new Echo())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"echo\"").hasMessageContaining("serves already");
        for (String taken : List.of("api", "pipelines", "", "a/b")) {
            assertThatThrownBy(() -> builder.routes(new Echo() {
                @Override
                public Set<String> segments() {
                    return Set.of(taken);
                }
            })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"" + taken + "\"");
        }
        assertThat(builder.build().maxBodyBytes()).isEqualTo(100_000);
        assertThat(ProrchWeb.builder(orchestrator).build().maxBodyBytes()).isEqualTo(16 * 1024);
    }
}
