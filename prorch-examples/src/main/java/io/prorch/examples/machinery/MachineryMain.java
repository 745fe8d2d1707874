package io.prorch.examples.machinery;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * apply a request twice for one key; see {@link ChaosRun} for its budget), {@code --events N} (with {@code --chaos};
 * 200).
 */
public final class MachineryMain {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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
            HttpResponse<String> accepted = post(api + "/e/process-text", OrchestratorNode.resource("event-text.json"));
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

    /** @return the event once it ended, or its last answer at the deadline */
    static Map<?, ?> awaitEnd(String api, String id, Duration timeout) throws InterruptedException {
        Deadline deadline = Deadline.after(timeout);
        while (true) {
            Map<?, ?> answer = lookUp(api, id, deadline.cap(Duration.ofSeconds(5)));
            if (ended(answer) || deadline.passed()) {
                return answer;
            }
            Thread.sleep(100);
        }
    }

    /**
     * {@code GET /e/{id}}; never throws but for an interrupt, which it leaves set.
     *
     * @return the answer's JSON object with its HTTP status under {@code "http"}, or {@code "request-failed"} and why
     */
    static Map<String, Object> lookUp(String api, String id, Duration timeout) {
        Map<String, Object> answer = new LinkedHashMap<>();
        try {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(api + "/e/" + id))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            answer.put("http", response.statusCode());
            JSON.readValue(response.body(), Map.class).forEach((k, v) -> answer.put(String.valueOf(k), v));
        } catch (IOException e) {
            // the orchestrator is restarting, or answered something that is not JSON
            answer.put("request-failed", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.put("request-failed", "interrupted");
        }
        return answer;
    }

    /** @return true if {@code answer} ({@link #lookUp}) shows an event that ended */
    static boolean ended(Map<?, ?> answer) {
        return Integer.valueOf(200).equals(answer.get("http")) && answer.get("status") != null
                && !"pending".equals(answer.get("status"));
    }

    /** POSTs, retrying connection errors and 503s for up to 60 s (a server still starting). */
    static HttpResponse<String> post(String url, String body) throws Exception {
        Deadline deadline = Deadline.after(Duration.ofSeconds(60));
        while (true) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 503 || deadline.passed()) {
                    return response;
                }
            } catch (IOException e) {
                if (deadline.passed()) {
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
}
