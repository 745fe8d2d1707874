package io.prorch.examples.machinery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prorch.services.ServiceEndpoint;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * machinery's example, durably: the {@code upper}, {@code reverse} and {@code space-counter} services on loopback,
 * their definitions and the {@code process-text} workflow from this package's JSON files, and the seed's event
 * POSTed to {@code /e/process-text} over HTTP; prints the event id, ack date and status, then the outputs. Exit code
 * 0 when they are the reversed upper-case message and {@code "space_count": 7}.
 *
 * <pre>
 * mvn -q -DskipTests package &amp;&amp; java -cp prorch-examples/target/prorch-examples.jar io.prorch.examples.machinery.MachineryMain
 * </pre>
 *
 * Options: {@code --db URL} (PostgreSQL; default: a fresh H2 file under {@code ./prorch-example-data/machinery}),
 * {@code --chaos} ({@code reverse} fails half its calls with 503 and the orchestrator, a child JVM, is killed with
 * {@code kill -9} and restarted once mid-run over 200 events: every event must finish right, and no service may
 * apply a request twice for one key), {@code --events N} (with {@code --chaos}; 200).
 */
public final class MachineryMain {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MachineryMain() {
    }

    /** Runs the example; exits 0 if every event ended right, 1 otherwise, 2 for bad arguments. */
    public static void main(String[] args) throws Exception {
        String url = null;
        boolean chaos = false;
        int events = 200;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--db" -> url = args[++i];
                    case "--chaos" -> chaos = true;
                    case "--events" -> events = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
            if (events < 2 || events > 100_000) {
                throw new IllegalArgumentException("--events " + events);
            }
        } catch (RuntimeException e) {
            System.err.println("usage: MachineryMain [--db JDBC_URL] [--chaos] [--events N (2..100000)]");
            System.exit(2);
        }
        Path dir = Path.of("prorch-example-data", "machinery");
        System.exit((chaos ? ChaosRun.run(url, events, dir, System.out) : run(url, dir, System.out)) ? 0 : 1);
    }

    /** @return true if the event finished with the expected outputs */
    public static boolean run(String url, Path dir, PrintStream out) throws Exception {
        try (TextServices services = new TextServices(false);
             OrchestratorNode node = new OrchestratorNode(url != null ? url : freshH2(dir, "machinery"), 0,
                     services.addresses)) {
            services.addresses.forEach((name, address) -> out.println("service " + name + " listens on " + address));
            node.registrations.forEach(r -> out.println("registered " + r.id() + (r.version() > 0 ? " (version "
                    + r.version() + ")" : "") + ", ack " + r.ackAt()));
            String api = "http://127.0.0.1:" + node.port();
            HttpResponse<String> accepted = post(api + "/e/process-text", OrchestratorNode.resource("event-text.json"),
                    null);
            Map<?, ?> ack = JSON.readValue(accepted.body(), Map.class);
            out.println("POST /e/process-text -> " + accepted.statusCode() + ": event-id " + ack.get("event-id")
                    + ", ack " + ack.get("ack") + ", status " + ack.get("status"));
            Map<?, ?> event = awaitEnd(api, (String) ack.get("event-id"), Duration.ofSeconds(30));
            out.println("GET /e/" + ack.get("event-id") + " -> status " + event.get("status"));
            out.println("outputs: " + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(event.get("outputs")));
            return "finished".equals(event.get("status")) && expected("The Sun will rise in the morning !")
                    .equals(event.get("outputs"));
        }
    }

    /** @return what process-text answers for {@code message} */
    static Map<String, Object> expected(String message) {
        return Map.of("message", new StringBuilder(message.toUpperCase()).reverse().toString(),
                "space_count", (int) message.chars().filter(c -> c == ' ').count());
    }

    /** @return the event once it ended, or as it was at the deadline */
    static Map<?, ?> awaitEnd(String api, String id, Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        Map<?, ?> event = Map.of();
        while (System.nanoTime() < until) {
            try {
                HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(api + "/e/" + id))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                event = JSON.readValue(response.body(), Map.class);
                if (response.statusCode() == 200 && !"pending".equals(event.get("status"))) {
                    return event;
                }
            } catch (ConnectException down) {
                // the orchestrator is restarting
            }
            Thread.sleep(100);
        }
        return event;
    }

    /** POSTs, retrying connection errors and 503s for up to 60 s (an orchestrator restarting). */
    static HttpResponse<String> post(String url, String body, String key) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (key != null) {
                request.header("Idempotency-Key", key);
            }
            try {
                HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 503 || System.nanoTime() > until) {
                    return response;
                }
            } catch (IOException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    static String freshH2(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(name + ".mv.db"));
        return "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath() + ";WRITE_DELAY=0";
    }

    /** The {@code --chaos} run: a child orchestrator JVM killed once, a flaky service, 200 events. */
    static final class ChaosRun {
        private ChaosRun() {
        }

        static boolean run(String url, int events, Path dir, PrintStream out) throws Exception {
            String db = url != null ? url : freshH2(dir, "chaos");
            String run = UUID.randomUUID().toString().substring(0, 8);
            int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                    java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            String api = "http://127.0.0.1:" + port;
            try (TextServices services = new TextServices(true)) {
                Process child = startChild(db, port, services, dir, out);
                List<String> ids = new ArrayList<>();
                try {
                    for (int i = 0; i < events; i++) {
                        if (i == events / 2) {
                            out.println("kill -9 the orchestrator (pid " + child.pid() + ") with " + i
                                    + " events accepted, most of them in flight");
                            child.destroyForcibly().waitFor();
                            child = startChild(db, port, services, dir, out);
                        }
                        HttpResponse<String> accepted = post(api + "/e/process-text", JSON.writeValueAsString(
                                Map.of("data", Map.of("message", message(i)))), "chaos-" + run + "-" + i);
                        ids.add((String) JSON.readValue(accepted.body(), Map.class).get("event-id"));
                    }
                    int right = 0;
                    for (int i = 0; i < events; i++) {
                        Map<?, ?> event = awaitEnd(api, ids.get(i), Duration.ofSeconds(120));
                        if ("finished".equals(event.get("status")) && expected(message(i)).equals(event.get("outputs"))) {
                            right++;
                        } else {
                            out.println("event " + i + " (" + ids.get(i) + ") ended wrong: " + event);
                        }
                    }
                    out.println(right + " of " + events + " events finished with the right outputs");
                    boolean once = true;
                    for (Map.Entry<String, ServiceEndpoint> e : services.endpoints.entrySet()) {
                        ServiceEndpoint s = e.getValue();
                        out.printf("service %-13s requests %4d, applied %4d, answered from memory %3d, keys applied"
                                + " twice %d%n", e.getKey(), s.requests(), s.applied(), s.replayed(), s.appliedTwice());
                        once &= s.appliedTwice() == 0 && s.applied() == events;
                    }
                    out.println("reverse refused " + services.refused.get() + " calls with 503");
                    return right == events && once;
                } finally {
                    child.destroyForcibly().waitFor();
                }
            }
        }

        static String message(int i) {
            return "Event " + i + ": The Sun will rise in the morning !";
        }

        private static Process startChild(String db, int port, TextServices services, Path dir, PrintStream out)
                throws Exception {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    OrchestratorNode.class.getName(), "--db", db, "--port", String.valueOf(port)));
            services.addresses.forEach((name, address) -> command.add(name + "=" + address));
            Files.createDirectories(dir);
            Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(
                    dir.resolve("orchestrator.log").toFile())).start();
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            java.util.concurrent.CompletableFuture<String> ready = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return lines.readLine();
                        } catch (IOException e) {
                            return null;
                        }
                    });
            String line = ready.get(60, java.util.concurrent.TimeUnit.SECONDS);
            if (line == null || !line.startsWith("ready")) {
                child.destroyForcibly();
                throw new IllegalStateException("the orchestrator JVM did not start; see " + dir.resolve(
                        "orchestrator.log") + File.separator);
            }
            out.println("orchestrator JVM (pid " + child.pid() + ") serves " + "http://127.0.0.1:" + port);
            return child;
        }
    }
}
