package io.prorch.boot4.app;

import io.prorch.Pipeline;

/** Confirms, then ships, an order of the application's own table. */
@Pipeline(name = "Boot4Order", steps = {ConfirmOrder.class, ShipOrder.class})
public class OrderPipeline {
}
