package io.prorch.examples.fanout;

import io.prorch.ChildWait;
import io.prorch.Children;
import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;
import java.time.Duration;
import java.util.Comparator;

/** A request for quotes: one child pipeline per supplier, the cheapest answer chosen once all answered. */
public final class QuoteSteps {
    private QuoteSteps() {
    }

    /** The child's step: a supplier answers with a price (made up from its number), after a first look. */
    @Step(name = "AskSupplier")
    public static class AskSupplier implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            ctx.continueAfter(Duration.ofMillis(50));   // the supplier takes a moment to answer
        }

        @Override
        public void onContinue(StepContext ctx) {
            long supplier = ctx.pipelineMetadata().getLong("supplier");
            ctx.pipelineMetadata().put("price", 100 + (supplier * 37) % 91);
            ctx.finish();
        }
    }

    /** A child pipeline: one supplier's quote. */
    @Pipeline(name = "SupplierQuote", steps = AskSupplier.class)
    public static class SupplierQuote {
    }

    /** The parent's step: fans out to every supplier, then picks the cheapest quote. */
    @Step(name = "RequestQuotes")
    public static class RequestQuotes implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) {
            long suppliers = ctx.pipelineMetadata().getLong("suppliers");
            for (long i = 0; i < suppliers; i++) {
                ctx.startChild(SupplierQuote.class, java.util.Map.of("supplier", i));
            }
            ctx.awaitChildren(ChildWait.all().timeout(Duration.ofMinutes(5)));
        }

        @Override
        public void onContinue(StepContext ctx) {
            Children quotes = ctx.children();
            if (quotes.timedOut() || !quotes.unsuccessful().isEmpty()) {
                ctx.fail(quotes.finished().size() + " of " + quotes.all().size() + " suppliers answered");
                return;
            }
            Children.Child best = quotes.finished().stream()
                    .min(Comparator.comparingLong(c -> ((Number) c.metadata().get("price")).longValue()))
                    .orElseThrow();
            ctx.pipelineMetadata().put("answered", (long) quotes.finished().size())
                    .put("bestSupplier", best.metadata().get("supplier")).put("bestPrice", best.metadata().get("price"));
            ctx.finish();
        }
    }

    /** The parent pipeline. */
    @Pipeline(name = "QuoteRequest", steps = RequestQuotes.class)
    public static class QuoteRequest {
    }
}
