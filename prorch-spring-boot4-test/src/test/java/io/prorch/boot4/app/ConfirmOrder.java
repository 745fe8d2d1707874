package io.prorch.boot4.app;

import io.prorch.OnStart;
import io.prorch.Step;
import io.prorch.StepContext;

/** Not a bean: the starter creates it for each hook call with the {@link OrderBook} bean in its constructor. */
@Step
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
