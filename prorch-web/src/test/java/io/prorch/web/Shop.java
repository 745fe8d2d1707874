package io.prorch.web;

import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.InMemoryRepository;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/** The pipelines the web tests show: orders whose payment fails while the payment service is down. */
final class Shop {
    /** While true, Charge fails for good on its first attempt. */
    static final AtomicBoolean PAYMENTS_DOWN = new AtomicBoolean();

    private Shop() {
    }

    /** Reserves the stock. */
    @Step(name = "Reserve")
    public static class Reserve implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.metadata().put("reserved", true);
        }
    }

    /** Charges the card, or fails while payments are down. */
    @Step(name = "Charge", maxAttempts = 1)
    public static class Charge implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            if (PAYMENTS_DOWN.get()) {
                throw new IllegalStateException("payment service down: card declined for order "
                        + ctx.pipelineMetadata().getString("order"));
            }
        }
    }

    /** Ships at once. */
    @Step(name = "Ship")
    public static class Ship implements OnContinue {
        @Override
        public void onContinue(StepContext ctx) {
            ctx.finish();
        }
    }

    /** An order. */
    @Pipeline(name = "Order", steps = {Reserve.class, Charge.class, Ship.class})
    public static class Order {
    }

    /** A refund. */
    @Pipeline(name = "Refund", steps = {Reserve.class, Ship.class})
    public static class Refund {
    }

    static Orchestrator orchestrator() {
        PAYMENTS_DOWN.set(false);
        return new Orchestrator(OrchestratorConfig.builder().repository(InMemoryRepository.create())
                .register(Order.class, Refund.class).build());
    }

    /** Starts an order and waits until it finished or failed. */
    static PipelineView order(Orchestrator orchestrator, String key, Map<String, ?> input) throws InterruptedException {
        UUID id = orchestrator.starter(Order.class).idempotencyKey(key).input(input).start();
        PipelineView view = orchestrator.awaitCompletion(id, Duration.ofSeconds(10));
        if (!view.status().isTerminal()) {
            throw new AssertionError("order " + key + " did not end: " + view.status());
        }
        return view;
    }

    static PipelineView failedOrder(Orchestrator orchestrator, String key) throws InterruptedException {
        PAYMENTS_DOWN.set(true);
        try {
            PipelineView view = order(orchestrator, key, Map.of("order", key));
            if (view.status() != Status.FAILED) {
                throw new AssertionError("order " + key + " did not fail: " + view.status());
            }
            return view;
        } finally {
            PAYMENTS_DOWN.set(false);
        }
    }
}
