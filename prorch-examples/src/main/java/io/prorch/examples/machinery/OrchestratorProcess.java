package io.prorch.examples.machinery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The orchestrator JVM of the chaos run ({@link OrchestratorNode#main}): started, told apart from a dead one, and
 * killed. Its standard error goes to {@code orchestrator.log}; its standard output is read to the end on a daemon
 * thread (after {@code ready}, each line is printed), so the child never blocks on a full pipe.
 */
final class OrchestratorProcess {
    /** The longest wait for a new orchestrator JVM to serve (H2's recovery and the JIT on a loaded machine). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final Path log;

    private OrchestratorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the orchestrator JVM and waits until it serves on {@code port}.
     *
     * @throws ChaosFailure if it did not start within {@link #START_TIMEOUT} or the deadline, or exited
     */
    static OrchestratorProcess start(String db, int port, Map<String, String> addresses, Path dir, PrintStream out,
                                     Deadline deadline) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                OrchestratorNode.class.getName(), "--db", db, "--port", String.valueOf(port)));
        addresses.forEach((name, address) -> command.add(name + "=" + address));
        Files.createDirectories(dir);
        Path log = dir.resolve("orchestrator.log");
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        OrchestratorProcess started = new OrchestratorProcess(child, log);
        CompletableFuture<String> ready = started.drain(out);
        Duration wait = deadline.cap(START_TIMEOUT);
        String line;
        try {
            line = ready.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            line = null;
        }
        if (line == null || !line.startsWith("ready")) {
            started.kill();
            throw new ChaosFailure("the orchestrator JVM (" + started.describe() + ") did not serve within "
                    + wait.toSeconds() + " s" + (line == null ? "" : "; it printed: " + line)
                    + "; see " + log);
        }
        out.println("orchestrator JVM (pid " + child.pid() + ") serves http://127.0.0.1:" + port);
        return started;
    }

    /** Reads the child's standard output to its end: the first line completes the future, the others are printed. */
    private CompletableFuture<String> drain(PrintStream out) {
        CompletableFuture<String> first = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!first.complete(line)) {
                        out.println("[orchestrator pid " + process.pid() + "] " + line);
                    }
                }
            } catch (IOException closed) {
                // the child died or was killed: nothing more to read
            } finally {
                first.complete(null);
            }
        }, "orchestrator-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        return first;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** @return its pid and whether it runs or how it exited */
    String describe() {
        return "pid " + process.pid() + (process.isAlive() ? ", running" : ", exited with code " + process.exitValue());
    }

    Path log() {
        return log;
    }

    /**
     * Kills it with {@code kill -9} and waits for it to be gone, at most {@link #EXIT_TIMEOUT}.
     *
     * @return true if it is gone
     */
    boolean kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
