package io.prorch.examples.approval;

import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;
import java.time.Duration;

/** The order-approval pipeline: reserve the goods for a moment, then wait for a reviewer's verdict. */
public final class ApprovalSteps {
    /** The signal a reviewer sends, with {@code approved} (boolean) and {@code by} in its payload. */
    public static final String REVIEWED = "reviewed";

    private ApprovalSteps() {
    }

    /** Holds the goods for {@code reserveMs} before the order is reviewed, so some reviews arrive before the wait. */
    @Step(name = "Reserve")
    public static class Reserve implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            if (ctx.metadata().getBoolean("reserved", false)) {
                ctx.finish();
            } else {
                ctx.metadata().put("reserved", true);
                ctx.continueAfter(Duration.ofMillis(ctx.pipelineMetadata().getLong("reserveMs", 0)));
            }
        }
    }

    /** Waits for the reviewer's signal, at most {@code reviewWithinMs}; approves, rejects or gives up. */
    @Step(name = "AwaitReview")
    public static class AwaitReview implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            ctx.awaitSignal(REVIEWED, Duration.ofMillis(ctx.pipelineMetadata().getLong("reviewWithinMs", 60_000)));
        }

        @Override
        public void onContinue(StepContext ctx) {
            ctx.signal(REVIEWED).ifPresentOrElse(review -> {
                ctx.metadata().put("by", String.valueOf(review.payload().get("by")));
                if (Boolean.TRUE.equals(review.payload().get("approved"))) {
                    ctx.finish();
                } else {
                    ctx.fail("rejected by " + review.payload().get("by"));
                }
            }, () -> {
                if (ctx.signalTimedOut(REVIEWED)) {
                    ctx.fail("no review within " + ctx.pipelineMetadata().getLong("reviewWithinMs", 60_000) + " ms");
                }
            });
        }
    }

    /** An order: reserved, then reviewed. */
    @Pipeline(name = "OrderApproval", steps = {Reserve.class, AwaitReview.class})
    public static class OrderApproval {
    }
}
