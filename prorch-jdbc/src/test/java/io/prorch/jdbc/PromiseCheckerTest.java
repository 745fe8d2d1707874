package io.prorch.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.jdbc.PromiseChecker.Entry;
import io.prorch.jdbc.PromiseChecker.FinalPipeline;
import io.prorch.jdbc.PromiseChecker.FinalStep;
import io.prorch.jdbc.PromiseChecker.PipelineWrite;
import io.prorch.jdbc.PromiseChecker.Run;
import io.prorch.jdbc.PromiseChecker.StepWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The chaos tests' oracle on hand-made runs: a correct run passes, and each way of breaking a promise is caught. A
 * checker that let a broken run through would make every chaos test pass whatever the orchestrator did.
 */
class PromiseCheckerTest {
    private static final UUID PIPELINE = UUID.fromString("01a23291-f807-7001-8ad7-8411f3500000");
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    /**
     * A correct run of one chaos pipeline: each step is written created, then pending after its onStart, then finished
     * after its onContinue; every hook starts 1 ms after the write it depends on and ends 1 ms later.
     */
    private static Run correct(UnaryOperator<List<Entry>> ledgerChange) {
        List<Entry> ledger = new ArrayList<>();
        List<PipelineWrite> pipelineWrites = new ArrayList<>();
        List<StepWrite> stepWrites = new ArrayList<>();
        long ms = 0;
        pipelineWrites.add(new PipelineWrite(PIPELINE, 0, "pending", 0, null, at(ms)));
        for (int step = 0; step < 3; step++) {
            stepWrites.add(new StepWrite(PIPELINE, step, 0, "created", at(ms)));
        }
        long version = 1;
        for (int step = 0; step < 3; step++) {
            ledger.add(new Entry(PIPELINE, step, "onStart", version, "o1", at(ms + 1), at(ms + 2), 0, 0));
            ms += 3;
            stepWrites.add(new StepWrite(PIPELINE, step, 1, "pending", at(ms)));
            pipelineWrites.add(new PipelineWrite(PIPELINE, version++, "pending", step, "o1", at(ms)));
            ledger.add(new Entry(PIPELINE, step, "onContinue", version, "o1", at(ms + 1), at(ms + 2), 1, 0));
            ms += 3;
            stepWrites.add(new StepWrite(PIPELINE, step, 2, "finished", at(ms)));
            boolean last = step == 2;
            pipelineWrites.add(new PipelineWrite(PIPELINE, version++, last ? "finished" : "pending",
                    last ? step : step + 1, last ? null : "o1", at(ms)));
        }
        List<FinalStep> steps = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            steps.add(new FinalStep(PIPELINE, step, "finished", "{\"startedBy\":\"o1\",\"calls\":2}"));
        }
        FinalPipeline pipeline = new FinalPipeline(PIPELINE, "finished", version - 1, null,
                "{\"trail\":[\"ChaosA\",\"ChaosB\",\"ChaosC\"]}");
        return new Run(ledgerChange.apply(ledger), pipelineWrites, stepWrites, List.of(pipeline), steps);
    }

    private static Instant at(long ms) {
        return T0.plusMillis(ms);
    }

    private static List<String> violations(Run run) {
        return PromiseChecker.check(run, Set.of(), List.of(), PromiseChecker.Excuse.NONE).violations();
    }

    /** @return {@code ledger} with its entry {@code index} starting (and ending) {@code byMs} earlier */
    private static List<Entry> earlier(List<Entry> ledger, int index, long byMs) {
        List<Entry> changed = new ArrayList<>(ledger);
        Entry e = changed.get(index);
        changed.set(index, new Entry(e.pipeline(), e.position(), e.hook(), e.token(), e.orchestrator(),
                e.started().minusMillis(byMs), e.ended().minusMillis(byMs), e.seen(), e.attempt()));
        return changed;
    }

    @Test
    void aCorrectRunHasNoViolation() {
        PromiseChecker.Report report = PromiseChecker.check(correct(UnaryOperator.identity()), Set.of(), List.of(),
                PromiseChecker.Excuse.NONE);

        assertThat(report.violations()).isEmpty();
        assertThat(report.hookCalls()).isEqualTo(6);
        assertThat(report.repeats()).isZero();
    }

    @Test
    void anOnContinueBeforeItsStepsMoveToPendingCommittedIsCaught() {
        // the onContinue of step 1 (ledger entry 3) starts 2 ms early: before onStart's transition was committed
        List<String> violations = violations(correct(ledger -> earlier(ledger, 3, 2)));

        assertThat(violations).anySatisfy(v -> assertThat(v).contains("onContinue ran at")
                .contains("before the step's move out of created was committed"));
    }

    @Test
    void anOnContinueOfAStepThatNeverLeftCreatedIsCaught() {
        Run correct = correct(UnaryOperator.identity());
        // the last step's pending and finished writes are missing: its hooks ran on a lie
        List<StepWrite> lost = correct.stepHistory().stream()
                .filter(w -> w.position() != 2 || w.status().equals("created")).toList();
        Run run = new Run(correct.ledger(), correct.pipelineHistory(), lost, correct.pipelines(), correct.steps());

        assertThat(violations(run)).anySatisfy(v -> assertThat(v).contains("/2: onContinue ran at")
                .contains("(null)"));
    }

    @Test
    void aHookOfTheNextStepBeforeThePreviousFinishCommittedIsCaught() {
        // the onStart of step 1 (ledger entry 2) starts 2 ms early: before step 0's finish was committed
        List<String> violations = violations(correct(ledger -> earlier(ledger, 2, 2)));

        assertThat(violations).anySatisfy(v -> assertThat(v).contains("onStart of step 1")
                .contains("before step 0's finish was committed"));
    }

    @Test
    void aRepeatedHookNeedsAnExcuse() {
        UnaryOperator<List<Entry>> repeat = ledger -> {
            List<Entry> changed = new ArrayList<>(ledger);
            Entry e = changed.get(1);
            // the same onContinue of step 0 again, on another orchestrator, on the same state, after the first ended
            changed.add(2, new Entry(e.pipeline(), e.position(), e.hook(), e.token(), "o2", e.ended().plusNanos(1000),
                    e.ended().plusNanos(2000), e.seen(), e.attempt()));
            return changed;
        };

        assertThat(violations(correct(repeat))).anySatisfy(v -> assertThat(v).contains("ran again on the same state"));
        PromiseChecker.Report excused = PromiseChecker.check(correct(repeat), Set.of(), List.of(), (a, b) -> true);
        assertThat(excused.violations()).isEmpty();
        assertThat(excused.repeats()).isEqualTo(1);
    }

    @Test
    void twoHooksOfOnePipelineAtOnceAreCaught() {
        UnaryOperator<List<Entry>> overlap = ledger -> {
            List<Entry> changed = new ArrayList<>(ledger);
            Entry e = changed.get(1);
            // a call that started while onContinue of step 0 was still running
            changed.add(2, new Entry(e.pipeline(), e.position(), e.hook(), e.token() + 1, "o2",
                    e.started().plusNanos(1000), e.ended(), e.seen() + 1, e.attempt()));
            return changed;
        };

        assertThat(violations(correct(overlap))).anySatisfy(v -> assertThat(v).contains("while onContinue on o1"));
    }

    @Test
    void aTransitionAppliedTwiceAndALostEndAreCaught() {
        Run correct = correct(UnaryOperator.identity());
        List<PipelineWrite> twice = new ArrayList<>(correct.pipelineHistory());
        twice.add(3, twice.get(3));
        Run doubled = new Run(correct.ledger(), twice, correct.stepHistory(), correct.pipelines(), correct.steps());
        Run unfinished = new Run(correct.ledger(), correct.pipelineHistory(), correct.stepHistory(),
                List.of(new FinalPipeline(PIPELINE, "pending", 6, "o1", "{}")), correct.steps());

        assertThat(violations(doubled)).anySatisfy(v -> assertThat(v).contains("applied twice or lost"));
        assertThat(violations(unfinished)).anySatisfy(v -> assertThat(v).contains("ended pending, expected finished"));
    }
}
