package io.prorch.examples.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --web PORT}: the backup example serves the status page over real HTTP while it runs and afterwards. */
@Timeout(120)
class BackupWebTest {
    private static final Pattern URL = Pattern.compile("Status page: (http://\\S+)");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private HttpResponse<String> get(URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndTheApiUntilStopped() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Thread[] runner = new Thread[1];
        CompletableFuture<Integer> code = new CompletableFuture<>();
        runner[0] = new Thread(() -> code.complete(BackupAutomationMain.run(new String[] {"--data-dir",
                dir.toString(), "--pipelines", "2", "--archive-ms", "50", "--poll-ms", "20", "--web", "0"}, print,
                print)));
        runner[0].start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!out.toString(StandardCharsets.UTF_8).contains("Status page still at")
                    && System.nanoTime() < deadline && !code.isDone()) {
                Thread.sleep(50);
            }
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed).contains("All pipelines finished", "press Ctrl-C to stop");
            Matcher url = URL.matcher(printed);
            assertThat(url.find()).as(printed).isTrue();
            URI base = URI.create(url.group(1));

            HttpResponse<String> page = get(base);
            HttpResponse<String> finished = get(base.resolve("api/pipelines?status=finished"));

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("BackupAutomationPipeline");
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(finished.body()).startsWith("{\"items\":[").contains("\"name\":\"BackupAutomationPipeline\"")
                    .contains("\"status\":\"finished\"");
            assertThat(Pattern.compile("\"id\":").matcher(finished.body()).results().count()).isEqualTo(2);
        } finally {
            runner[0].interrupt();
        }
        assertThat(code.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Status page stopped.");
    }

    @Test
    void aTakenPortEndsTheRunWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int code = BackupAutomationMain.run(new String[] {"--data-dir", dir.toString(), "--web",
                    String.valueOf(taken.getLocalPort())}, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(code).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot listen on 127.0.0.1:"
                    + taken.getLocalPort()).hasLineCount(1);
        }
    }

    @Test
    void aBadPortIsABadArgument() {
        assertThat(BackupAutomationMain.run(new String[] {"--web", "70000"}, System.out,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))).isEqualTo(2);
    }
}
