package io.prorch.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the browser tests: Debian's {@code chromium} and {@code chromium-driver} packages, driven by
 * Selenium with a set driver path (so Selenium Manager never runs) and no background networking. Without them the
 * tests are skipped visibly; {@code .ci/run} installs them and fails if the browser tests were skipped.
 */
final class Browser {
    static final String CHROMIUM = System.getProperty("prorch.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("prorch.chromedriver", "/usr/bin/chromedriver");

    private Browser() {
    }

    /** @return whether Chromium and its driver are installed */
    static boolean installed() {
        return Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
    }

    /** Skips the calling test, visibly, if there is no browser. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(installed(), "no browser: install Debian's chromium and chromium-driver "
                + "(apt-get install chromium chromium-driver) to run the browser tests");
    }

    /** @return a headless browser (check {@link #installed()} first) */
    static WebDriver open() throws IOException {
        Path profile = Files.createTempDirectory("prorch-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new",
                "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--window-size=1280,860", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
        return driver;
    }
}
