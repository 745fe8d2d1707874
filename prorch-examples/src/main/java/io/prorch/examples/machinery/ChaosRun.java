package io.prorch.examples.machinery;

import static io.prorch.examples.machinery.MachineryMain.JSON;

import io.prorch.services.ServiceEndpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The {@code --chaos} run: {@code reverse} refuses every other call with 503, and the orchestrator, a child JVM, is
 * killed with {@code kill -9} and restarted once halfway through the events. Every event must finish right, and no
 * service may apply a request twice for one key.
 *
 * <p>One budget bounds the whole run, and every wait takes what is left of it. The run stops as soon as the budget is
 * spent or the orchestrator JVM dies unplanned, and then prints, for each event that did not end, its last answer and
 * its records in the store ({@link ChaosReport}): a failure names what it waited for, never just a timeout.
 */
final class ChaosRun {
    private static final Duration POST_RETRIES = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Where a run is, for {@code stages}: a test kills the orchestrator JVM there to check that the run stops. */
    enum Stage {
        /** The orchestrator JVM serves, first or restarted. */
        SERVING,
        /** Every event was accepted; the run now waits for them to end. */
        ACCEPTED
    }

    private ChaosRun() {
    }

    /** @return the budget of a run of {@code events} events: 2 minutes, plus a second per event */
    static Duration budget(int events) {
        return Duration.ofSeconds(120 + events);
    }

    /** @return true if every event finished right and each service applied each key exactly once */
    static boolean run(String url, int events, Path dir, PrintStream out) throws Exception {
        return run(url, events, dir, out, budget(events), (stage, child) -> { });
    }

    /**
     * @param budget how long the whole run may take, startups and the restart included
     * @param stages told of each stage the run reaches, with the orchestrator JVM of the moment
     * @return true if every event finished right and each service applied each key exactly once
     */
    static boolean run(String url, int events, Path dir, PrintStream out, Duration budget,
                       BiConsumer<Stage, OrchestratorProcess> stages) throws Exception {
        Deadline deadline = Deadline.after(budget);
        String db = url != null ? url : MachineryMain.freshH2(dir, "chaos");
        String run = UUID.randomUUID().toString().substring(0, 8);
        int port = freePort();
        String api = "http://127.0.0.1:" + port;
        List<String> ids = new ArrayList<>();
        Map<Integer, Map<?, ?>> last = new TreeMap<>();
        try (TextServices services = new TextServices(true)) {
            OrchestratorProcess child = null;
            try {
                child = OrchestratorProcess.start(db, port, services.addresses, dir, out, deadline);
                stages.accept(Stage.SERVING, child);
                for (int i = 0; i < events; i++) {
                    if (i == events / 2) {
                        out.println("kill -9 the orchestrator (pid " + child.pid() + ") with " + i
                                + " events accepted, most of them in flight");
                        if (!child.kill()) {
                            throw new ChaosFailure("the orchestrator JVM (" + child.describe() + ") did not exit"
                                    + " after kill -9");
                        }
                        child = OrchestratorProcess.start(db, port, services.addresses, dir, out, deadline);
                        stages.accept(Stage.SERVING, child);
                    }
                    ids.add(submit(api, i, "chaos-" + run + "-" + i, child, deadline));
                }
                stages.accept(Stage.ACCEPTED, child);
                awaitAll(api, ids, last, child, deadline);
                out.println("every event ended after " + budget.minus(deadline.remaining()).toSeconds() + " s of the"
                        + " run's budget of " + budget.toSeconds() + " s");
                return report(events, ids, last, services, out);
            } catch (ChaosFailure e) {
                out.println("chaos run stopped after " + budget.minus(deadline.remaining()).toSeconds() + " s of its "
                        + budget.toSeconds() + " s: " + e.getMessage());
                if (child != null) {
                    out.println("orchestrator JVM: " + child.describe());
                    child.kill();
                }
                ChaosReport.print(db, ids, last, dir.resolve("orchestrator.log"), out);
                return false;
            } finally {
                if (child != null) {
                    child.kill();
                }
            }
        }
    }

    static String message(int i) {
        return "Event " + i + ": The Sun will rise in the morning !";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * POSTs event {@code i}, retrying connection errors and 503s (an orchestrator restarting) for up to a minute.
     *
     * @return the event id
     * @throws ChaosFailure if it was not accepted in time, was refused, or the orchestrator JVM died
     */
    private static String submit(String api, int i, String key, OrchestratorProcess child, Deadline deadline)
            throws Exception {
        Deadline retries = Deadline.after(deadline.cap(POST_RETRIES));
        String body = JSON.writeValueAsString(Map.of("data", Map.of("message", message(i))));
        String answer;
        do {
            HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/e/process-text"))
                    .timeout(retries.cap(REQUEST_TIMEOUT)).header("Content-Type", "application/json")
                    .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                HttpResponse<String> response = MachineryMain.CLIENT.send(request,
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    return (String) JSON.readValue(response.body(), Map.class).get("event-id");
                }
                answer = response.statusCode() + " " + response.body();
                if (response.statusCode() != 503) {
                    throw new ChaosFailure("POST of event " + i + " (key " + key + ") answered " + answer);
                }
            } catch (IOException e) {
                answer = e.toString();
            }
            if (!child.alive()) {
                throw new ChaosFailure("the orchestrator JVM (" + child.describe() + ") died before event " + i
                        + " was accepted (last answer: " + answer + ")");
            }
            Thread.sleep(100);
        } while (!retries.passed());
        throw new ChaosFailure("event " + i + " (key " + key + ") was not accepted within "
                + retries.budget().toSeconds() + " s; last answer: " + answer);
    }

    /**
     * Polls every event until each has ended, round after round.
     *
     * @param last filled with each event's last answer, by index
     * @throws ChaosFailure if the deadline passes first, or the orchestrator JVM dies
     */
    private static void awaitAll(String api, List<String> ids, Map<Integer, Map<?, ?>> last,
                                 OrchestratorProcess child, Deadline deadline) throws InterruptedException {
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            open.add(i);
        }
        while (true) {
            open.removeIf(i -> {
                Map<?, ?> answer = MachineryMain.lookUp(api, ids.get(i), deadline.cap(Duration.ofSeconds(5)));
                last.put(i, answer);
                return MachineryMain.ended(answer);
            });
            if (open.isEmpty()) {
                return;
            }
            if (!child.alive()) {
                throw new ChaosFailure("the orchestrator JVM (" + child.describe() + ") died with " + open.size()
                        + " events not ended: " + open);
            }
            if (deadline.passed()) {
                throw new ChaosFailure(open.size() + " of " + ids.size() + " events did not end within the"
                        + " budget: " + open);
            }
            Thread.sleep(100);
        }
    }

    private static boolean report(int events, List<String> ids, Map<Integer, Map<?, ?>> last, TextServices services,
                                  PrintStream out) {
        int right = 0;
        for (int i = 0; i < events; i++) {
            Map<?, ?> event = last.get(i);
            if ("finished".equals(event.get("status"))
                    && MachineryMain.expected(message(i)).equals(event.get("outputs"))) {
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
    }
}
