package io.prorch.examples.bench;

import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;

/** The benchmark's pipelines: three one-shot steps that count themselves, and a step that waits. */
final class BenchSteps {
    private BenchSteps() {
    }

    /** Step {@code k} of the workload: counts itself for process {@code id} (the pipeline input). */
    abstract static class Counting implements OnStart {
        private final ProcessTracker tracker;
        private final int k;

        Counting(ProcessTracker tracker, int k) {
            this.tracker = tracker;
            this.k = k;
        }

        @Override
        public void onStart(StepContext ctx) {
            tracker.step(ctx.pipelineMetadata().getInt("id"), k);
        }
    }

    /** Step 1. */
    @Step(name = "Step1")
    public static final class Step1 extends Counting {
        /** @param tracker the run's counter */
        public Step1(ProcessTracker tracker) {
            super(tracker, 1);
        }
    }

    /** Step 2. */
    @Step(name = "Step2")
    public static final class Step2 extends Counting {
        /** @param tracker the run's counter */
        public Step2(ProcessTracker tracker) {
            super(tracker, 2);
        }
    }

    /** Step 3. */
    @Step(name = "Step3")
    public static final class Step3 extends Counting {
        /** @param tracker the run's counter */
        public Step3(ProcessTracker tracker) {
            super(tracker, 3);
        }
    }

    /** Never decides: each pass continues it once (the history and idle workloads). */
    @Step(name = "Waits")
    public static final class Waits implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
        }
    }

    /** The peers' workload: a chain of three steps. */
    @Pipeline(name = "Chain", steps = {Step1.class, Step2.class, Step3.class})
    public static final class Chain {
    }

    /** A pipeline that waits for ever. */
    @Pipeline(name = "Waiting", steps = Waits.class)
    public static final class Waiting {
    }
}
