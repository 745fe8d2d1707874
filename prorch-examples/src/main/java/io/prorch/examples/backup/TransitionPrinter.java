package io.prorch.examples.backup;

import io.prorch.Orchestrator;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.StepView;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Prints what changed in each watched pipeline since the last look, and the final table. */
final class TransitionPrinter {
    private final Orchestrator orchestrator;
    private final PrintStream out;
    private final Map<UUID, PipelineView> last = new LinkedHashMap<>();

    TransitionPrinter(Orchestrator orchestrator, PrintStream out) {
        this.orchestrator = orchestrator;
        this.out = out;
    }

    /** Starts watching {@code id}, left unfinished by an earlier run: its current state is printed, as the start. */
    void watchResumed(UUID id) {
        orchestrator.find(id).ifPresent(view -> {
            last.put(id, view);
            out.printf("%s pipeline %s resumed: %s%n", now(), shortId(id), positions(view));
        });
    }

    /**
     * Starts watching {@code id}, just started. Its starting point is the state start() stored, every step created:
     * the orchestrator may have run the first hook by the time we look, and that change is printed too.
     */
    void watchStarted(UUID id) {
        orchestrator.find(id).ifPresent(view -> last.put(id, asStarted(view)));
    }

    private static PipelineView asStarted(PipelineView view) {
        List<StepView> steps = view.steps().stream().map(s -> new StepView(s.id(), s.name(), s.position(),
                Status.CREATED, Map.of(), 0, null, s.createdAt(), s.createdAt())).toList();
        return new PipelineView(view.id(), view.name(), Status.PENDING, 0, steps, view.metadata(), null, view.dueAt(),
                null, view.createdAt(), view.createdAt(), view.version());
    }

    /** Prints every step and pipeline status change since the last call. */
    void printChanges() {
        for (Map.Entry<UUID, PipelineView> entry : last.entrySet()) {
            PipelineView before = entry.getValue();
            PipelineView after = orchestrator.find(entry.getKey()).orElse(before);
            for (StepView step : after.steps()) {
                StepView old = before.steps().stream().filter(s -> s.position() == step.position()).findFirst()
                        .orElse(step);
                if (old.status() != step.status()) {
                    out.printf("%s pipeline %s %s: %s -> %s%s%n", now(), shortId(after.id()), step.name(),
                            old.status().value(), step.status().value(), note(step));
                }
            }
            if (before.status() != after.status()) {
                out.printf("%s pipeline %s is %s%n", now(), shortId(after.id()), after.status().value());
            }
            entry.setValue(after);
        }
    }

    /** @return the watched pipelines that have not ended */
    List<UUID> unfinished() {
        List<UUID> ids = new ArrayList<>();
        last.forEach((id, view) -> {
            if (!view.status().isTerminal()) {
                ids.add(id);
            }
        });
        return ids;
    }

    void printTable() {
        out.println();
        out.printf("%-9s %-9s %-10s %-17s %-15s %-30s %7s  %s%n", "pipeline", "database", "status",
                "BackupGeneration", "BackupTransfer", "ProcessCompletionNotification", "bytes", "sha256");
        for (PipelineView view : last.values()) {
            Map<String, Object> meta = view.metadata();
            List<String> steps = view.steps().stream().map(s -> s.status().value()
                    + (s.attempts() > 0 ? " (" + s.attempts() + " failed)" : "")).toList();
            out.printf("%-9s %-9s %-10s %-17s %-15s %-30s %7s  %s%n", shortId(view.id()), meta.get("database"),
                    view.status().value(), steps.size() > 0 ? steps.get(0) : "", steps.size() > 1 ? steps.get(1) : "",
                    steps.size() > 2 ? steps.get(2) : "", meta.getOrDefault("size", "-"),
                    String.valueOf(meta.getOrDefault("sha256", "-")).substring(0, Math.min(12,
                            String.valueOf(meta.getOrDefault("sha256", "-")).length())));
        }
    }

    private static String positions(PipelineView view) {
        return view.steps().stream().map(s -> s.name() + "=" + s.status().value()).toList().toString();
    }

    private static String note(StepView step) {
        return step.lastError() != null && step.status().isTerminal() ? " (" + step.lastError().lines().findFirst()
                .orElse("") + ")" : "";
    }

    private static String now() {
        return LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * Eight random hex digits of the id, enough to tell a run's pipelines apart and to find the full id. Not the
     * first eight: pipeline ids are time-ordered, so pipelines started together share their leading digits.
     */
    static String shortId(UUID id) {
        return id.toString().substring(24, 32);
    }
}
