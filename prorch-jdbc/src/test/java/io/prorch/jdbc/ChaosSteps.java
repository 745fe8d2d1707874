package io.prorch.jdbc;

import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.StepFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The chaos tests' pipeline: three steps whose hooks write the ledger first, work for a while (a duration fixed by the
 * pipeline, step and token, between the input's {@code minMillis} and {@code maxMillis}), and leave evidence in the
 * metadata: {@code startedBy} on each step, and the pipeline's {@code trail} of finished steps. With
 * {@code waitMillis} in the input, each step's first {@code onContinue} asks to be continued after that long.
 */
final class ChaosSteps {
    static final List<String> STEP_NAMES = List.of("ChaosA", "ChaosB", "ChaosC");

    private ChaosSteps() {
    }

    /** @return the input of a chaos pipeline */
    static Map<String, Object> input(int minMillis, int maxMillis, int waitMillis) {
        return Map.of("minMillis", minMillis, "maxMillis", maxMillis, "waitMillis", waitMillis);
    }

    /** @return a step factory whose steps write to {@code ledger} */
    static StepFactory factory(ChaosLedger ledger) {
        return type -> type.getConstructor(ChaosLedger.class).newInstance(ledger);
    }

    /** One step of the chaos pipeline. */
    public abstract static class ChaosStep implements OnStart, OnContinue {
        private final ChaosLedger ledger;

        protected ChaosStep(ChaosLedger ledger) {
            this.ledger = ledger;
        }

        @Override
        public void onStart(StepContext ctx) throws Exception {
            long entry = enter(ctx, "onStart");
            work(ctx);
            ctx.metadata().put("startedBy", ledger.orchestrator());
            long bloat = ctx.pipelineMetadata().getLong("bloatChars", 0);
            if (bloat > 0) {
                // more than maxMetadataBytes: this result can never be saved, so the attempts must run out
                ctx.metadata().put("bloat", "x".repeat((int) bloat));
            }
            ledger.exit(entry);
        }

        @Override
        public void onContinue(StepContext ctx) throws Exception {
            long entry = enter(ctx, "onContinue");
            work(ctx);
            long wait = ctx.pipelineMetadata().getLong("waitMillis", 0);
            if (wait > 0 && !ctx.metadata().getBoolean("waited", false)) {
                ctx.metadata().put("waited", true);
                ctx.continueAfter(Duration.ofMillis(wait));
            } else {
                List<Object> trail = new ArrayList<>(ctx.pipelineMetadata().contains("trail")
                        ? ctx.pipelineMetadata().getList("trail") : List.of());
                trail.add(ctx.stepName());
                ctx.pipelineMetadata().put("trail", trail);
                ctx.finish();
            }
            ledger.exit(entry);
        }

        /** Writes the ledger entry, and counts the call in the step's metadata (committed with its transition). */
        private long enter(StepContext ctx, String hook) throws java.sql.SQLException {
            long seen = ctx.metadata().getLong("calls", 0);
            long entry = ledger.enter(ctx, hook, seen);
            ctx.metadata().put("calls", seen + 1);
            return entry;
        }

        /** Stands for the step's real work: a pause of a length fixed by the pipeline, the step and the token. */
        private static void work(StepContext ctx) throws InterruptedException {
            long min = ctx.pipelineMetadata().getLong("minMillis", 0);
            long max = ctx.pipelineMetadata().getLong("maxMillis", 0);
            if (max > 0) {
                long spread = Math.floorMod(Objects.hash(ctx.pipelineId(), ctx.stepPosition(), ctx.fencingToken()),
                        max - min + 1);
                Thread.sleep(min + spread);
            }
        }
    }

    @Step(name = "ChaosA")
    public static class ChaosA extends ChaosStep {
        public ChaosA(ChaosLedger ledger) {
            super(ledger);
        }
    }

    @Step(name = "ChaosB")
    public static class ChaosB extends ChaosStep {
        public ChaosB(ChaosLedger ledger) {
            super(ledger);
        }
    }

    @Step(name = "ChaosC")
    public static class ChaosC extends ChaosStep {
        public ChaosC(ChaosLedger ledger) {
            super(ledger);
        }
    }

    @Pipeline(name = "Chaos", steps = {ChaosA.class, ChaosB.class, ChaosC.class})
    public static class Chaos {
    }
}
