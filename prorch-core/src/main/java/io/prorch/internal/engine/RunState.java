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
 * @param setAsideSince when this orchestrator first set the pipeline aside (it could not be run), or null
 */
record RunState(PipelineRecord pipeline, StepRecord step, boolean continued, Instant passStart,
                Instant setAsideSince) {
}
