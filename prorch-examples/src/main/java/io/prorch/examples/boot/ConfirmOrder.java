package io.prorch.examples.boot;

import io.prorch.OnStart;
import io.prorch.Step;
import io.prorch.StepContext;

/** The first step: confirms the order. Not a bean; the starter creates it with the {@link OrderBook} bean injected. */
@Step(name = "ConfirmOrder")
public class ConfirmOrder implements OnStart {
    private final OrderBook orders;

    public ConfirmOrder(OrderBook orders) {
        this.orders = orders;
    }

    @Override
    public void onStart(StepContext ctx) {
        orders.setStatus(ctx.pipelineMetadata().getString("orderId"), "confirmed");
    }
}
