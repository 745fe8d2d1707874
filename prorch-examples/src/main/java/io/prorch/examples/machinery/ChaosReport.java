package io.prorch.examples.machinery;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a chaos run that stopped early prints, read once the orchestrator JVM is gone (H2 then lets go of its file):
 * each event that did not end, with its last answer and its records in the store, then the end of the orchestrator's
 * log, which lives in a directory that a test deletes.
 */
final class ChaosReport {
    private static final int LOG_LINES = 40;
    private static final int MAX_LINE = 400;

    private ChaosReport() {
    }

    /**
     * @param ids the event ids accepted, by index
     * @param last each event's last answer to {@code GET /e/{id}}, by index
     */
    static void print(String db, List<String> ids, Map<Integer, Map<?, ?>> last, Path log, PrintStream out) {
        List<Integer> open = java.util.stream.IntStream.range(0, ids.size())
                .filter(i -> last.get(i) == null || !MachineryMain.ended(last.get(i))).boxed().toList();
        out.println(open.size() + " of " + ids.size() + " accepted events were not seen ended:");
        if (!open.isEmpty()) {
            stored(db, ids, last, open, out);
        }
        tail(log, out);
    }

    private static void stored(String db, List<String> ids, Map<Integer, Map<?, ?>> last, List<Integer> open,
                               PrintStream out) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db);
        config.setUsername(db.startsWith("jdbc:h2:") ? "sa" : null);
        config.setMaximumPoolSize(3);   // the tables' check holds one connection while it asks for another
        config.setConnectionTimeout(5_000);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            JdbcRepository store = JdbcRepository.create(dataSource);
            for (int i : open) {
                UUID id = UUID.fromString(ids.get(i));
                out.println("  event " + i + " (" + id + "): " + answered(last.get(i)));
                out.println("    " + store.get(Model.PIPELINE, id).map(p -> describe(p, store))
                        .orElse("no such pipeline in the store"));
            }
        } catch (RuntimeException e) {
            open.forEach(i -> out.println("  event " + i + " (" + ids.get(i) + "): " + answered(last.get(i))));
            out.println("  (reading the store at " + db + " failed: " + e + ")");
        }
    }

    private static String answered(Map<?, ?> answer) {
        return answer == null ? "not looked up yet" : "last answer " + answer;
    }

    /** @return the pipeline's status, its claim and due time, and its current step's status, attempts and error */
    static String describe(PipelineRecord p, JdbcRepository store) {
        StringBuilder text = new StringBuilder("pipeline ").append(p.status().value()).append(", due ")
                .append(p.dueAt()).append(", claim ").append(p.claimOwner() == null ? "none"
                        : p.claimOwner() + " until " + p.claimExpiresAt());
        if (p.lastError() != null) {
            text.append(", last error: ").append(clip(p.lastError()));
        }
        if (p.currentStep() < p.stepNames().size()) {
            text.append("; step ").append(p.currentStep() + 1).append(" of ").append(p.stepNames().size())
                    .append(" \"").append(p.stepNames().get(p.currentStep())).append("\" ");
            StepRecord step = store.get(Model.STEP, StepRecord.idOf(p.id(), p.currentStep())).orElse(null);
            text.append(step == null ? "has no record" : step.status().value() + " after " + step.attempts()
                    + " attempt(s)" + (step.lastError() == null ? "" : ", last error: " + clip(step.lastError())));
        }
        return text.toString();
    }

    /** Prints the log's last lines, leaving out the retries of 503s (the store shows each step's attempts). */
    private static void tail(Path log, PrintStream out) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.contains(" failed, retrying in ")).toList();
            out.println("the last " + Math.min(LOG_LINES, lines.size()) + " of " + lines.size() + " lines of " + log
                    + " (retries left out):");
            lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size())
                    .forEach(l -> out.println("  " + clip(l)));
        } catch (IOException e) {
            out.println("(no orchestrator log: " + e + ")");
        }
    }

    private static String clip(String text) {
        String line = text.replace('\n', ' ');
        return line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line;
    }
}
