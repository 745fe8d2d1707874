package io.prorch.examples.boot;

import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Step;
import io.prorch.StepContext;
import java.time.Duration;

/**
 * The second step: hands the order to the carrier, then comes back a moment later (on a polling pass of the
 * starter's orchestrator) to mark it shipped.
 */
@Step(name = "ShipOrder")
public class ShipOrder implements OnStart, OnContinue {
    private final OrderBook orders;

    public ShipOrder(OrderBook orders) {
        this.orders = orders;
    }

    @Override
    public void onStart(StepContext ctx) {
        orders.setStatus(ctx.pipelineMetadata().getString("orderId"), "shipping");
        ctx.continueAfter(Duration.ofMillis(300));
    }

    @Override
    public void onContinue(StepContext ctx) {
        orders.setStatus(ctx.pipelineMetadata().getString("orderId"), "shipped");
        ctx.finish();
    }
}
