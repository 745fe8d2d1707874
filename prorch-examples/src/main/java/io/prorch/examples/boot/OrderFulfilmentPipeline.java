package io.prorch.examples.boot;

import io.prorch.Pipeline;

/** Confirm, then ship: found by the starter in the application's package. */
@Pipeline(name = "OrderFulfilment", steps = {ConfirmOrder.class, ShipOrder.class})
public class OrderFulfilmentPipeline {
}
