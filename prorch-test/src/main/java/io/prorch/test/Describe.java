package io.prorch.test;

import io.prorch.PipelineView;
import io.prorch.StepView;

/** The words failure messages use for pipelines and steps. */
final class Describe {
    private Describe() {
    }

    /** @return e.g. {@code BackupPipeline 7f… failed at step 1 "Transfer" (failed, 3 failed attempts), last error: x} */
    static String pipeline(PipelineView view) {
        return name(view) + " " + state(view);
    }

    /** @return e.g. {@code BackupPipeline 7f…} */
    static String name(PipelineView view) {
        return view.name() + " " + view.id();
    }

    /** @return e.g. {@code pending at step 0 "Generation" (pending, 0 failed attempts), due 2026-…} */
    static String state(PipelineView view) {
        String step = view.steps().stream().filter(s -> s.position() == view.currentStep()).findFirst()
                .map(s -> "step " + s.position() + " \"" + s.name() + "\" (" + stepState(s) + ")")
                .orElse("step " + view.currentStep() + " (no record)");
        return view.status().value() + " at " + step + (view.status().isTerminal() ? "" : ", due " + view.dueAt())
                + lastError(view.lastError());
    }

    /** @return e.g. {@code pending, 1 failed attempts, last error: boom} */
    static String stepState(StepView step) {
        return step.status().value() + ", " + step.attempts() + " failed attempts" + lastError(step.lastError());
    }

    private static String lastError(String error) {
        return error == null ? "" : ", last error: " + error;
    }
}
