package io.prorch.boot4.app;

import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Step;
import io.prorch.StepContext;
import java.time.Duration;

/** Hands the order over, then marks it shipped on a later pass: only the starter's polling finishes the pipeline. */
@Step
public class ShipOrder implements OnStart, OnContinue {
    private final OrderBook orders;

    public ShipOrder(OrderBook orders) {
        this.orders = orders;
    }

    @Override
    public void onStart(StepContext ctx) {
        orders.setStatus(ctx.pipelineMetadata().getString("orderId"), "shipping");
        ctx.continueAfter(Duration.ofMillis(100));
    }

    @Override
    public void onContinue(StepContext ctx) {
        orders.setStatus(ctx.pipelineMetadata().getString("orderId"), "shipped");
        ctx.finish();
    }
}
