package io.prorch.internal.engine;

import io.prorch.repository.PipelineRecord;
import io.prorch.repository.StepRecord;
import java.time.Instant;

/**
 * What the {@link StepMachine} needs to know of a run: its committed records and its turn so far.
 *
 * @param pipeline the committed pipeline record
 * @param step the committed record of its current step
 * @param continued whether {@code onContinue} of the current step already ran in this turn
 * @param passStart the start of the pass the turn belongs to (pipelines it releases become due after it), or null
 * @param unsaved the hook executions of this pipeline in a row whose results this orchestrator could not save
 */
record RunState(PipelineRecord pipeline, StepRecord step, boolean continued, Instant passStart,
                Unsaved unsaved) {

    /**
     * Executions whose results could not be saved, in a row.
     *
     * @param count how many
     * @param lastError the last save's error headline
     */
    record Unsaved(int count, String lastError) {
        static final Unsaved NONE = new Unsaved(0, null);
    }
}
