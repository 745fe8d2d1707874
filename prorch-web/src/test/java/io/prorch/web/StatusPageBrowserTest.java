package io.prorch.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.prorch.Orchestrator;
import io.prorch.PipelineView;
import io.prorch.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in headless Chromium: an operator filters to the failed pipelines, opens one, reads its error,
 * retries it and sees it finish; a {@code <script>} in metadata stays text; forged and unauthorised POSTs change
 * nothing.
 */
@Timeout(120)
class StatusPageBrowserTest {
    private static WebDriver driver;
    private final Orchestrator orchestrator = Shop.orchestrator();

    @BeforeAll
    static void openBrowser() throws IOException {
        if (Browser.installed()) {
            driver = Browser.open();
        }
    }

    @BeforeEach
    void needsABrowser() {
        Browser.assumeInstalled();   // each test reports as skipped, so .ci/run sees it
    }

    @AfterAll
    static void quitBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @AfterEach
    void close() {
        orchestrator.close();
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100));
    }

    @Test
    void anOperatorFiltersToFailedOpensOneReadsItsErrorRetriesItAndSeesItFinish() throws Exception {
        Shop.order(orchestrator, "order-1001", Map.of("order", "order-1001", "items", List.of("lamp", "desk")));
        Shop.order(orchestrator, "order-1002", Map.of("order", "order-1002", "items", List.of("chair")));
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1003");
        orchestrator.startPolling(Duration.ofMillis(50));
        ProrchWeb web = ProrchWeb.builder(orchestrator).actionsEnabled(true).authorizer(Authorizer.allowAll()).build();
        try (WebServer server = web.start()) {
            driver.get(server.url().toString());
            screenshot("status-page.png");

            new Select(driver.findElement(By.id("status"))).selectByValue("failed");
            WebElement unfiltered = driver.findElement(By.id("pipelines"));
            driver.findElement(By.id("apply")).click();
            // the click loads a new page: read its rows, not those of the page it replaces
            waiting().until(ExpectedConditions.stalenessOf(unfiltered));
            List<WebElement> rows = driver.findElements(By.cssSelector("#pipelines tr.pipeline"));
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).getAttribute("data-id")).isEqualTo(failed.id().toString());
            rows.get(0).findElement(By.cssSelector("a.open")).click();

            // each click loads a new page; wait for an element only that page has, rather than racing its load
            assertThat(waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("error"))).getText())
                    .contains("payment service down: card declined for order order-1003", "at io.prorch.web.Shop");
            assertThat(driver.findElement(By.cssSelector(".diagram g.current")).getAttribute("data-step"))
                    .isEqualTo("Charge");
            screenshot("pipeline-page.png");
            driver.findElement(By.id("retry")).click();

            assertThat(waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("notice"))).getText())
                    .isEqualTo("retry done.");
            waiting().until(d -> {
                d.navigate().refresh();
                return d.findElement(By.id("status")).getText().equals("finished");
            });
            assertThat(driver.findElement(By.id("timeline")).getText())
                    .contains("retry by anonymous (status page)");
        }
        assertThat(orchestrator.find(failed.id()).orElseThrow().status()).isEqualTo(Status.FINISHED);
    }

    @Test
    void aScriptStoredInMetadataIsShownAsTextAndNeverRuns() throws Exception {
        String script = "<script>document.title='pwned'</script>";
        String image = "<img src=x onerror=document.title='pwned'>";
        PipelineView p = Shop.order(orchestrator, "key" + script, Map.of("order", script, "note", image));
        try (WebServer server = ProrchWeb.builder(orchestrator).build().start()) {
            driver.get(server.url().toString());
            assertThat(driver.findElement(By.cssSelector("#pipelines tr.pipeline")).getText()).contains(script);
            driver.get(server.url().resolve("pipelines/" + p.id()).toString());

            assertThat(driver.findElement(By.id("metadata")).getText()).contains(script, image);
            assertThat(driver.findElements(By.tagName("script"))).isEmpty();
            assertThat(driver.findElements(By.tagName("img"))).isEmpty();
            assertThat(driver.getTitle()).isNotEqualTo("pwned").startsWith("Order ");
        }
    }

    @Test
    void aFormPostedFromAnotherSiteIsRefusedAndChangesNothing() throws Exception {
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1");
        ProrchWeb web = ProrchWeb.builder(orchestrator).actionsEnabled(true).authorizer(Authorizer.allowAll()).build();
        try (WebServer server = web.start()) {
            driver.get(server.url().resolve("pipelines/" + failed.id()).toString());   // the operator's session
            String target = server.url().resolve("pipelines/" + failed.id() + "/retry").toString();
            HttpServer evil = attackerSite("<form method=\"post\" action=\"" + target + "\">"
                    + "<input type=\"hidden\" name=\"version\" value=\"" + failed.version() + "\">"
                    + "<button id=\"win\" type=\"submit\">Win a prize</button></form>");
            try {
                driver.get("http://localhost:" + evil.getAddress().getPort() + "/");
                driver.findElement(By.id("win")).click();

                waiting().until(d -> d.getPageSource().contains("Refused (CSRF check)"));
            } finally {
                evil.stop(0);
            }
        }
        assertThat(orchestrator.find(failed.id()).orElseThrow().version()).isEqualTo(failed.version());
    }

    @Test
    void aRetryTheAuthorizerDeniesIsRefusedAndChangesNothing() throws Exception {
        PipelineView failed = Shop.failedOrder(orchestrator, "order-1");
        ProrchWeb web = ProrchWeb.builder(orchestrator).actionsEnabled(true).build();   // Authorizer.denyAll()
        try (WebServer server = web.start()) {
            driver.get(server.url().resolve("pipelines/" + failed.id()).toString());
            driver.findElement(By.id("retry")).click();

            assertThat(waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("p.problem")))
                    .getText())
                    .contains("Not allowed: the Authorizer refused retry of pipeline " + failed.id());
            assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Error 403");
        }
        assertThat(orchestrator.find(failed.id()).orElseThrow().status()).isEqualTo(Status.FAILED);
    }

    /** A page on another origin (localhost instead of 127.0.0.1, another port) that posts to the status page. */
    private static HttpServer attackerSite(String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        server.createContext("/", exchange -> {
            byte[] page = ("<!DOCTYPE html><html><body>" + body + "</body></html>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        return server;
    }

    /**
     * Saves what the browser shows into target/, and into docs/images/ when {@code -Dprorch.web.screenshots=true}
     * (so an ordinary build leaves the README's image alone).
     */
    private static void screenshot(String name) throws IOException {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(Path.of("target", name), png);
        if (Boolean.getBoolean("prorch.web.screenshots")) {
            Path docs = Path.of("..", "docs", "images");
            Files.createDirectories(docs);
            Files.write(docs.resolve(name), png);
        }
    }
}
