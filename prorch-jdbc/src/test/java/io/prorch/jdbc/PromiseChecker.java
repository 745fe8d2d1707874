package io.prorch.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks the promises of the README as invariants over what a chaos run left behind: the hook ledger (every hook
 * call, with its fencing token and orchestrator), the transition history (every committed write, recorded by a
 * trigger), and the final rows. Each violation is a sentence naming the pipeline; a correct run has none.
 */
final class PromiseChecker {
    /**
     * One hook call: when it started and, unless its JVM died first, when it returned; {@code seen} and
     * {@code attempt} identify the committed state it was given (the fencing token changes with every claim too).
     */
    record Entry(UUID pipeline, int position, String hook, long token, String orchestrator, Instant started,
                 Instant ended, long seen, int attempt) {
        String state() {
            return pipeline + "/" + position + "/" + hook + "/" + seen + "/" + attempt;
        }
    }

    /** One committed write of a pipeline. */
    record PipelineWrite(UUID pipeline, long version, String status, int currentStep, String claimOwner, Instant at) {
    }

    /** One committed write of a step. */
    record StepWrite(UUID pipeline, int position, long version, String status, Instant at) {
    }

    record FinalPipeline(UUID id, String status, long version, String claimOwner, String metadata) {
    }

    record FinalStep(UUID pipeline, int position, String status, String metadata) {
    }

    /** Everything read back after a run. */
    record Run(List<Entry> ledger, List<PipelineWrite> pipelineHistory, List<StepWrite> stepHistory,
               List<FinalPipeline> pipelines, List<FinalStep> steps) {

        /** @return this run without the pipelines {@code ids} (checked apart, by rules of their own) */
        Run without(Set<UUID> ids) {
            return new Run(ledger.stream().filter(e -> !ids.contains(e.pipeline())).toList(),
                    pipelineHistory.stream().filter(w -> !ids.contains(w.pipeline())).toList(),
                    stepHistory.stream().filter(w -> !ids.contains(w.pipeline())).toList(),
                    pipelines.stream().filter(p -> !ids.contains(p.id())).toList(),
                    steps.stream().filter(s -> !ids.contains(s.pipeline())).toList());
        }
    }

    /** A JVM the test killed, and when (by the database's clock). */
    record Kill(String orchestrator, Instant at) {
    }

    /** Decides whether a hook call that repeated an earlier one (same pipeline, same token) had a permitted cause. */
    @FunctionalInterface
    interface Excuse {
        boolean excuses(Entry earlier, Entry repeat);

        /** No cause is permitted: a run without faults. */
        Excuse NONE = (earlier, repeat) -> false;
    }

    /** What the check found. */
    record Report(List<String> violations, int hookCalls, int repeats, int exposed, int cutOff,
                  List<Duration> takeovers) {
        String describe() {
            List<Duration> sorted = takeovers.stream().sorted().toList();
            String takeover = sorted.isEmpty() ? "none measured" : "min " + sorted.get(0).toMillis() + " ms, median "
                    + sorted.get(sorted.size() / 2).toMillis() + " ms, max "
                    + sorted.get(sorted.size() - 1).toMillis() + " ms (" + sorted.size() + ")";
            String bound = exposed == 0 ? "" : " (bound: " + exposed + " calls on JVMs killed after they started, "
                    + cutOff + " of them cut off mid-hook)";
            return hookCalls + " hook calls, " + repeats + " repeated" + bound + ", takeovers " + takeover + ", "
                    + violations.size() + " violations" + (violations.isEmpty() ? ""
                    : ": " + violations.subList(0, Math.min(10, violations.size())));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL = Set.of("finished", "failed", "cancelled");

    private final List<String> violations = new ArrayList<>();

    private PromiseChecker() {
    }

    /**
     * @param run what the run left behind
     * @param cancelled pipelines whose cancel was reported as applied: they must end cancelled, the rest finished
     * @param kills the JVMs killed during the run
     * @param excuse which repeated hook calls had a permitted cause (besides a killed JVM)
     */
    static Report check(Run run, Set<UUID> cancelled, List<Kill> kills, Excuse excuse) {
        return new PromiseChecker().run(run, cancelled, kills, excuse);
    }

    private Report run(Run run, Set<UUID> cancelled, List<Kill> kills, Excuse excuse) {
        Map<String, Instant> killedAt = new HashMap<>();
        kills.forEach(k -> killedAt.put(k.orchestrator(), k.at()));
        Excuse killOrOther = (earlier, repeat) -> died(earlier, repeat.started(), killedAt)
                || excuse.excuses(earlier, repeat);
        checkPipelineHistory(run.pipelineHistory(), run.pipelines());
        checkStepHistory(run.stepHistory(), run.ledger());
        checkOrder(run.stepHistory(), run.ledger());
        int repeats = checkRepeats(run.ledger(), killOrOther);
        checkOverlaps(run.ledger(), killedAt);
        checkFinalState(run, cancelled);
        int exposed = 0;
        int cutOff = 0;
        for (Entry e : run.ledger()) {
            Instant killed = killedAt.get(e.orchestrator());
            if (killed != null && !killed.isBefore(e.started())) {
                exposed++;
                cutOff += e.ended() == null ? 1 : 0;
            }
        }
        return new Report(List.copyOf(violations), run.ledger().size(), repeats, exposed, cutOff,
                takeovers(run.ledger(), kills));
    }

    /** Promises 1 and 5: per pipeline, committed versions go 0, 1, 2 ... with none applied twice or skipped. */
    private void checkPipelineHistory(List<PipelineWrite> history, List<FinalPipeline> pipelines) {
        Map<UUID, List<PipelineWrite>> byPipeline = group(history, PipelineWrite::pipeline);
        for (FinalPipeline p : pipelines) {
            List<PipelineWrite> writes = byPipeline.getOrDefault(p.id(), List.of());
            for (int i = 0; i < writes.size(); i++) {
                PipelineWrite w = writes.get(i);
                if (w.version() != i) {
                    violations.add("pipeline " + p.id() + ": committed write #" + i + " has version " + w.version()
                            + " (a transition applied twice or lost)");
                    break;
                }
                if (i > 0 && TERMINAL.contains(writes.get(i - 1).status())) {
                    violations.add("pipeline " + p.id() + ": written after it ended " + writes.get(i - 1).status());
                    break;
                }
                if (i > 0 && w.currentStep() < writes.get(i - 1).currentStep()) {
                    violations.add("pipeline " + p.id() + ": went back from step " + writes.get(i - 1).currentStep()
                            + " to " + w.currentStep());
                    break;
                }
            }
            if (writes.isEmpty() || writes.get(writes.size() - 1).version() != p.version()) {
                violations.add("pipeline " + p.id() + ": stored version " + p.version()
                        + " is not the last committed one");
            }
        }
    }

    /**
     * Promises 1 and 3: steps move forward only, onStart never runs once the step's move to pending committed, and
     * onContinue never runs before it committed (a transition is never ahead of the store).
     */
    private void checkStepHistory(List<StepWrite> history, List<Entry> ledger) {
        Map<String, List<StepWrite>> bySteps = group(history, w -> w.pipeline() + "/" + w.position());
        Map<String, Instant> pendingAt = new HashMap<>();
        bySteps.forEach((step, writes) -> {
            for (int i = 0; i < writes.size(); i++) {
                StepWrite w = writes.get(i);
                if (w.version() != i) {
                    violations.add("step " + step + ": committed write #" + i + " has version " + w.version());
                    return;
                }
                if (i > 0 && (TERMINAL.contains(writes.get(i - 1).status()) || w.status().equals("created"))) {
                    violations.add("step " + step + ": moved from " + writes.get(i - 1).status() + " to "
                            + w.status());
                    return;
                }
                // a cancel from outside may land while a hook is about to start; only the step's own progress counts
                if (!w.status().equals("created") && !w.status().equals("cancelled")) {
                    pendingAt.putIfAbsent(step, w.at());
                }
            }
        });
        for (Entry e : ledger) {
            Instant pending = pendingAt.get(e.pipeline() + "/" + e.position());
            if (e.hook().equals("onStart") && pending != null && e.started().isAfter(pending)) {
                violations.add("step " + e.pipeline() + "/" + e.position() + ": onStart ran at " + e.started()
                        + " on " + e.orchestrator() + " after the step left created at " + pending);
            }
            if (e.hook().equals("onContinue") && (pending == null || pending.isAfter(e.started()))) {
                violations.add("step " + e.pipeline() + "/" + e.position() + ": onContinue ran at " + e.started()
                        + " on " + e.orchestrator() + " before the step's move out of created was committed ("
                        + pending + ")");
            }
        }
    }

    /** Promise 1: a hook of step k runs only once step k - 1's finish is committed (transitions are never ahead). */
    private void checkOrder(List<StepWrite> history, List<Entry> ledger) {
        Map<String, Instant> finishedAt = new HashMap<>();
        for (StepWrite w : history) {
            if (w.status().equals("finished")) {
                finishedAt.putIfAbsent(w.pipeline() + "/" + w.position(), w.at());
            }
        }
        for (Entry e : ledger) {
            if (e.position() == 0) {
                continue;
            }
            Instant previous = finishedAt.get(e.pipeline() + "/" + (e.position() - 1));
            if (previous == null || previous.isAfter(e.started())) {
                violations.add("pipeline " + e.pipeline() + ": " + e.hook() + " of step " + e.position() + " ran at "
                        + e.started() + " on " + e.orchestrator() + " before step " + (e.position() - 1)
                        + "'s finish was committed (" + previous + ")");
            }
        }
    }

    /**
     * Promise 3: a hook call given the same committed state as an earlier one repeats it (the earlier one's result was
     * never committed); each repeat needs a cause, and each cause buys at most one.
     */
    private int checkRepeats(List<Entry> ledger, Excuse excuse) {
        int repeats = 0;
        for (List<Entry> same : group(ledger, Entry::state).values()) {
            for (int i = 1; i < same.size(); i++) {
                repeats++;
                Entry earlier = same.get(i - 1);
                Entry repeat = same.get(i);
                if (!excuse.excuses(earlier, repeat)) {
                    violations.add("pipeline " + repeat.pipeline() + ": " + repeat.hook() + " of step "
                            + repeat.position() + " ran again on the same state (call " + repeat.seen() + ") on "
                            + repeat.orchestrator() + " after " + earlier.orchestrator() + " ran it, without cause");
                }
            }
        }
        return repeats;
    }

    /** Promise 2: two hooks of one pipeline never run at once, unless the first one's JVM was dead already. */
    private void checkOverlaps(List<Entry> ledger, Map<String, Instant> killedAt) {
        for (List<Entry> calls : group(ledger, Entry::pipeline).values()) {
            for (int i = 1; i < calls.size(); i++) {
                Entry next = calls.get(i);
                for (int j = 0; j < i; j++) {
                    Entry earlier = calls.get(j);
                    boolean stillRunning = earlier.ended() == null ? !died(earlier, next.started(), killedAt)
                            : earlier.ended().isAfter(next.started());
                    if (stillRunning) {
                        violations.add("pipeline " + next.pipeline() + ": " + next.hook() + " on "
                                + next.orchestrator() + " started at " + next.started() + " while " + earlier.hook()
                                + " on " + earlier.orchestrator() + " was running");
                    }
                }
            }
        }
    }

    /** Promises 1 and 4: every pipeline ended as expected, no claim is left, no metadata was lost. */
    private void checkFinalState(Run run, Set<UUID> cancelled) {
        Map<String, FinalStep> steps = new HashMap<>();
        run.steps().forEach(s -> steps.put(s.pipeline() + "/" + s.position(), s));
        for (FinalPipeline p : run.pipelines()) {
            String expected = cancelled.contains(p.id()) ? "cancelled" : "finished";
            if (!p.status().equals(expected)) {
                violations.add("pipeline " + p.id() + " ended " + p.status() + ", expected " + expected);
                continue;
            }
            if (p.claimOwner() != null) {
                violations.add("pipeline " + p.id() + " still claimed by " + p.claimOwner());
            }
            if (expected.equals("finished")) {
                checkMetadata(p, steps);
            }
        }
    }

    private void checkMetadata(FinalPipeline p, Map<String, FinalStep> steps) {
        try {
            JsonNode trail = JSON.readTree(p.metadata()).path("trail");
            List<String> names = new ArrayList<>();
            trail.forEach(n -> names.add(n.asText()));
            if (!names.equals(ChaosSteps.STEP_NAMES)) {
                violations.add("pipeline " + p.id() + ": trail " + names + " instead of " + ChaosSteps.STEP_NAMES);
            }
            for (int i = 0; i < ChaosSteps.STEP_NAMES.size(); i++) {
                FinalStep step = steps.get(p.id() + "/" + i);
                if (step == null || !JSON.readTree(step.metadata()).hasNonNull("startedBy")) {
                    violations.add("pipeline " + p.id() + ": step " + i + " lost what its onStart wrote");
                }
            }
        } catch (java.io.IOException e) {
            violations.add("pipeline " + p.id() + ": unreadable metadata " + e.getMessage());
        }
    }

    /** Promise 4: for each hook cut off by a kill, how long until another orchestrator ran that pipeline. */
    private static List<Duration> takeovers(List<Entry> ledger, List<Kill> kills) {
        List<Duration> takeovers = new ArrayList<>();
        Map<UUID, List<Entry>> byPipeline = group(ledger, Entry::pipeline);
        for (Kill kill : kills) {
            for (Entry cut : ledger) {
                if (cut.orchestrator().equals(kill.orchestrator()) && cut.ended() == null) {
                    byPipeline.get(cut.pipeline()).stream()
                            .filter(e -> e.started().isAfter(kill.at()) && !e.orchestrator().equals(kill.orchestrator()))
                            .findFirst().ifPresent(e -> takeovers.add(Duration.between(kill.at(), e.started())));
                }
            }
        }
        return takeovers;
    }

    private static boolean died(Entry entry, Instant before, Map<String, Instant> killedAt) {
        Instant killed = killedAt.get(entry.orchestrator());
        return killed != null && !killed.isAfter(before) && !killed.isBefore(entry.started());
    }

    private static <K, T> Map<K, List<T>> group(List<T> items, java.util.function.Function<T, K> key) {
        Map<K, List<T>> groups = new LinkedHashMap<>();
        for (T item : items) {
            groups.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(item);
        }
        return groups;
    }
}
