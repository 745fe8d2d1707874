package io.prorch.web.servlet;

import static java.util.Objects.requireNonNull;

import io.prorch.web.ProrchWeb;
import io.prorch.web.WebRequest;
import io.prorch.web.WebResponse;
import io.prorch.web.internal.Forms;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Serves a {@link ProrchWeb} from the host's servlet container, mounted under a path of the host's choosing (map it
 * to {@code /prorch/*}: links then start with the context and servlet path). The servlet's user principal reaches the
 * {@link io.prorch.web.Authorizer} as {@link WebRequest#principal()}. The {@link io.prorch.web.WebRoutes} the page was
 * built with (prorch-services' API) are served by the same servlet, below the same path.
 *
 * <pre>{@code
 * ServletRegistrationBean<ProrchWebServlet> prorchPage(Orchestrator orchestrator) {
 *     return new ServletRegistrationBean<>(new ProrchWebServlet(ProrchWeb.builder(orchestrator).build()), "/prorch/*");
 * }
 * }</pre>
 */
public class ProrchWebServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient ProrchWeb web;

    /**
     * @param web the page to serve (its port and bind address are not used here)
     * @throws NullPointerException if {@code web} is null
     */
    public ProrchWebServlet(ProrchWeb web) {
        this.web = requireNonNull(web, "web");
    }

    /** Hands every request, whatever its method, to {@link ProrchWeb#handle} and writes its answer. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WebResponse answer;
        try {
            answer = web.handle(request(request));
        } catch (RuntimeException e) {
            // a malformed query or body
            response.setStatus(Forms.statusOf(e));
            response.setContentType("text/plain; charset=utf-8");
            response.getOutputStream().write(String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
            return;
        }
        response.setStatus(answer.status());
        answer.headers().forEach(response::addHeader);
        response.setContentType(answer.contentType());
        response.setContentLength(answer.body().length);
        if (!request.getMethod().equalsIgnoreCase("HEAD")) {
            response.getOutputStream().write(answer.body());
        }
    }

    private WebRequest request(HttpServletRequest request) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), Collections.list(request.getHeaders(name)));
        }
        String contentType = request.getContentType();
        if (contentType != null) {
            // the page reads the body's type from the headers; a container may keep it apart
            headers.putIfAbsent("content-type", List.of(contentType));
        }
        Map<String, List<String>> form = Map.of();
        byte[] body = new byte[0];
        if (request.getMethod().equalsIgnoreCase("POST")) {
            // the page decodes its form from the raw body; WebRoutes read the body as it came
            body = Forms.read(request.getInputStream(), web.maxBodyBytes());
            if (body.length == 0 && contentType != null && contentType.toLowerCase(Locale.ROOT)
                    .startsWith("application/x-www-form-urlencoded")) {
                // a filter of the host read the url-encoded body already: the container's parameters hold it then
                form = parameters(request);
            }
        }
        String path = request.getPathInfo() == null || request.getPathInfo().isEmpty() ? "/" : request.getPathInfo();
        String mount = request.getContextPath() + request.getServletPath();
        return new WebRequest(request.getMethod(), path, Forms.decode(request.getQueryString()), form, headers,
                mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount,
                request.getUserPrincipal() == null ? null : request.getUserPrincipal().getName(), body);
    }

    private static Map<String, List<String>> parameters(HttpServletRequest request) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> form.put(name, Arrays.asList(values)));
        return form;
    }
}
