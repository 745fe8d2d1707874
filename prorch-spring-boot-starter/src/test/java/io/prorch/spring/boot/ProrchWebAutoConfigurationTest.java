package io.prorch.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Orchestrator;
import io.prorch.spring.boot.fixture.FixtureApplication;
import io.prorch.spring.boot.fixture.GreetingPipeline;
import io.prorch.web.Authorizer;
import io.prorch.web.ProrchWeb;
import io.prorch.web.WebRequest;
import io.prorch.web.WebResponse;
import io.prorch.web.WebRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The status page in the application's servlet container: off by default, actions only with an Authorizer bean. */
class ProrchWebAutoConfigurationTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final AutoConfigurations PRORCH = AutoConfigurations.of(DataSourceAutoConfiguration.class,
            ProrchJdbcAutoConfiguration.class, ProrchAutoConfiguration.class, ProrchWebAutoConfiguration.class);

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(PRORCH).withUserConfiguration(FixtureApplication.class)
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:web" + DATABASES.incrementAndGet()
                    + ";DB_CLOSE_DELAY=-1", "prorch.auto-startup=false");

    /** The application's Authorizer: permits everything. */
    @Configuration(proxyBeanMethods = false)
    static class Permissive {
        @Bean
        Authorizer authorizer() {
            return Authorizer.allowAll();
        }
    }

    /** Endpoints of the application's own beside the page. */
    @Configuration(proxyBeanMethods = false)
    static class Hello {
        @Bean
        WebRoutes hello() {
            return new WebRoutes() {
                @Override
                public Set<String> segments() {
                    return Set.of("hello");
                }

                @Override
                public WebResponse handle(WebRequest request, io.prorch.web.WebGuard guard) {
                    return new WebResponse(200, "text/plain", Map.of(), "hi".getBytes(StandardCharsets.UTF_8));
                }
            };
        }
    }

    @Test
    void mountsNothingUnlessEnabledInAServletApplicationWithProrchWeb() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ProrchWeb.class)
                .doesNotHaveBean("prorchWebServlet"));
        runner.withPropertyValues("prorch.web.enabled=true").withClassLoader(new FilteredClassLoader("io.prorch.web"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("prorchWebServlet"));
        new ApplicationContextRunner().withConfiguration(PRORCH).withUserConfiguration(FixtureApplication.class)
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:web" + DATABASES.incrementAndGet(),
                        "prorch.auto-startup=false", "prorch.web.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(Orchestrator.class)
                        .doesNotHaveBean(ProrchWeb.class));
    }

    @Test
    void mountsThePageAndTheRoutesBeansUnderTheConfiguredPath() {
        runner.withUserConfiguration(Hello.class).withPropertyValues("prorch.web.enabled=true",
                "prorch.web.path=/ops/prorch/").run(context -> {
                    assertThat(context).hasSingleBean(ProrchWeb.class);
                    ServletRegistrationBean<?> servlet = context.getBean("prorchWebServlet",
                            ServletRegistrationBean.class);
                    assertThat(servlet.getUrlMappings()).containsExactly("/ops/prorch/*");
                    assertThat(context.getBean(ProrchWeb.class).handle(WebRequest.of("GET", "/hello")).bodyText())
                            .isEqualTo("hi");
                });
        runner.withPropertyValues("prorch.web.enabled=true", "prorch.web.path=prorch").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("prorch.web.path"));
    }

    @Test
    void actionsNeedTheirPropertyAndAnAuthorizerBean() {
        String cancel = "/api/pipelines/" + UUID.randomUUID() + "/cancel";
        runner.withPropertyValues("prorch.web.enabled=true").withUserConfiguration(Permissive.class)
                .run(context -> assertThat(post(context.getBean(ProrchWeb.class), cancel).bodyText())
                        .contains("Operator actions are disabled"));
        runner.withPropertyValues("prorch.web.enabled=true", "prorch.web.actions-enabled=true")
                .run(context -> assertThat(post(context.getBean(ProrchWeb.class), cancel).bodyText())
                        .contains("Operator actions are disabled"));
        runner.withPropertyValues("prorch.web.enabled=true", "prorch.web.actions-enabled=true")
                .withUserConfiguration(Permissive.class).run(context -> {
                    WebResponse answer = post(context.getBean(ProrchWeb.class), cancel);
                    // past the switch, the CSRF check and the Authorizer: only the pipeline is missing
                    assertThat(answer.status()).isEqualTo(404);
                    assertThat(answer.bodyText()).contains("No pipeline with id");
                });
    }

    /** A servlet application on a real Tomcat, with the page at /ops/prorch. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ServletWebServerFactoryAutoConfiguration.class, DataSourceAutoConfiguration.class,
            ProrchJdbcAutoConfiguration.class, ProrchAutoConfiguration.class, ProrchWebAutoConfiguration.class})
    @Import({FixtureApplication.class, Hello.class})
    static class WebApp {
    }

    @Test
    @Timeout(60)
    void servesThePageOverHttpFromTheApplicationsTomcat() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebApp.class)
                .web(WebApplicationType.SERVLET).properties("server.port=0", "server.address=127.0.0.1",
                        "spring.datasource.url=jdbc:h2:mem:web" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1",
                        "prorch.poll-interval=50ms", "prorch.web.enabled=true", "prorch.web.path=/ops/prorch")
                .run()) {
            Orchestrator orchestrator = context.getBean(Orchestrator.class);
            UUID id = orchestrator.start(GreetingPipeline.class, Map.of("name", "Ada"));
            orchestrator.awaitCompletion(id, Duration.ofSeconds(10));
            URI base = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
                    + "/ops/prorch/");
            HttpClient client = HttpClient.newHttpClient();

            HttpResponse<String> page = client.send(HttpRequest.newBuilder(base).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> api = client.send(HttpRequest.newBuilder(base.resolve("api/pipelines")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> hello = client.send(HttpRequest.newBuilder(base.resolve("hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> outside = client.send(HttpRequest.newBuilder(base.resolve("/api/pipelines")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Greeting", "href=\"/ops/prorch/");
            assertThat(api.statusCode()).isEqualTo(200);
            assertThat(api.body()).contains(id.toString());
            assertThat(hello.body()).isEqualTo("hi");
            assertThat(outside.statusCode()).isEqualTo(404);
        }
    }

    private static WebResponse post(ProrchWeb web, String path) {
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"")
                .matcher(web.handle(WebRequest.of("GET", "/api/csrf")).bodyText());
        assertThat(token.find()).isTrue();
        return web.handle(new WebRequest("POST", path, Map.of(), Map.of("version", List.of("0")),
                Map.of("X-Prorch-Csrf", List.of(token.group(1))), "", "ops"));
    }
}
