package io.prorch.web.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.InMemoryRepository;
import io.prorch.web.ProrchWeb;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The servlet adapter mounts the page under the host's path and hands the container's principal to the Authorizer. */
class ProrchWebServletTest {

    /** Finishes at once. */
    @Step(name = "Only")
    public static class Only implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.finish();
        }
    }

    /** One step. */
    @Pipeline(name = "Tiny", steps = Only.class)
    public static class Tiny {
    }

    private final Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
            .repository(InMemoryRepository.create()).register(Tiny.class).build());

    @AfterEach
    void close() {
        orchestrator.close();
    }

    /** What the fake response received. */
    static final class Sent {
        int status;
        String contentType;
        final Map<String, String> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
    }

    private Sent serve(ProrchWebServlet servlet, String method, String pathInfo, String query, String contentType,
                       String body, Map<String, String> headers, String user) throws Exception {
        Map<String, Object> answers = new HashMap<>();
        answers.put("getMethod", method);
        answers.put("getPathInfo", pathInfo);
        answers.put("getQueryString", query);
        answers.put("getContextPath", "/app");
        answers.put("getServletPath", "/prorch");
        answers.put("getContentType", contentType);
        answers.put("getUserPrincipal", user == null ? null : (Principal) () -> user);
        answers.put("getHeaderNames", Collections.enumeration(headers.keySet()));
        answers.put("getParameterMap", Map.of());
        ByteArrayInputStream in = new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        answers.put("getInputStream", new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }

            @Override
            public int read() {
                return in.read();
            }
        });
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> m.getName().equals("getHeaders")
                        ? Collections.enumeration(headers.containsKey((String) args[0])
                        ? List.of(headers.get((String) args[0])) : List.<String>of())
                        : answers.get(m.getName()));
        Sent sent = new Sent();
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }

            @Override
            public void write(int b) {
                sent.body.write(b);
            }
        };
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus" -> sent.status = (Integer) args[0];
                        case "setContentType" -> sent.contentType = (String) args[0];
                        case "addHeader" -> sent.headers.put((String) args[0], (String) args[1]);
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> {
                        }
                    }
                    return null;
                });
        servlet.service(request, response);
        return sent;
    }

    @Test
    void servesThePageWithLinksBelowTheMountPoint() throws Exception {
        UUID id = orchestrator.start(Tiny.class);
        orchestrator.awaitCompletion(id, java.time.Duration.ofSeconds(10));
        ProrchWebServlet servlet = new ProrchWebServlet(ProrchWeb.builder(orchestrator).build());

        Sent page = serve(servlet, "GET", null, null, null, "", Map.of(), null);
        Sent api = serve(servlet, "GET", "/api/pipelines", "status=finished", null, "", Map.of(), null);

        assertThat(page.status).isEqualTo(200);
        assertThat(page.body.toString(StandardCharsets.UTF_8)).contains("href=\"/app/prorch/pipelines/" + id + "\"");
        assertThat(page.headers.get("Set-Cookie")).contains("Path=/app/prorch");
        assertThat(api.contentType).isEqualTo("application/json");
        assertThat(api.body.toString(StandardCharsets.UTF_8)).contains(id.toString());
    }

    @Test
    void theContainersPrincipalReachesTheAuthorizerAndAJsonBodyIsRead() throws Exception {
        UUID id = orchestrator.start(Tiny.class);
        long version = orchestrator.awaitCompletion(id, java.time.Duration.ofSeconds(10)).version();
        List<String> asked = new java.util.ArrayList<>();
        ProrchWeb web = ProrchWeb.builder(orchestrator).actionsEnabled(true)
                .authorizer((request, action, pipelineId) -> asked.add(request.principal() + " " + action)).build();
        ProrchWebServlet servlet = new ProrchWebServlet(web);
        String token = serve(servlet, "GET", "/api/csrf", null, null, "", Map.of(), null).body
                .toString(StandardCharsets.UTF_8).replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");

        Sent restarted = serve(servlet, "POST", "/api/pipelines/" + id + "/restart-from", null, "application/json",
                "{\"version\": " + version + ", \"step\": \"Only\"}", Map.of("X-Prorch-Csrf", token), "carol");

        assertThat(restarted.status).isEqualTo(200);
        assertThat(asked).containsExactly("carol RESTART_FROM");
    }

    @Test
    void malformedInputAnswers400AndANullPageIsRefused() throws Exception {
        ProrchWebServlet servlet = new ProrchWebServlet(ProrchWeb.builder(orchestrator).build());

        Sent bad = serve(servlet, "GET", "/api/pipelines", "name=%zz", null, "", Map.of(), null);

        assertThat(bad.status).isEqualTo(400);
        assertThat(bad.body.toString(StandardCharsets.UTF_8)).contains("Malformed percent-encoding");
        assertThatThrownBy(() -> new ProrchWebServlet(null)).isInstanceOf(NullPointerException.class);
    }
}
