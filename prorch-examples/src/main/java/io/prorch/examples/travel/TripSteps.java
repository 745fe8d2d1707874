package io.prorch.examples.travel;

import io.prorch.OnCompensate;
import io.prorch.OnStart;
import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A trip booked in three steps; each booking made is undone, last first, if a later one fails. */
public final class TripSteps {
    /** What the steps did, in order, for the summary. */
    static final List<String> DONE = new CopyOnWriteArrayList<>();

    private TripSteps() {
    }

    static void say(StepContext ctx, String what) {
        DONE.add(what);
        System.out.println("  " + ctx.stepName() + ": " + what);
    }

    /** Books a flight; cancels it when compensated. */
    @Step(name = "BookFlight")
    public static class BookFlight implements OnStart, OnCompensate {
        @Override
        public void onStart(StepContext ctx) {
            String booking = "FL-" + ctx.pipelineMetadata().getString("destination").toUpperCase();
            ctx.metadata().put("booking", booking);
            say(ctx, "booked flight " + booking);
        }

        @Override
        public void onCompensate(StepContext ctx) {
            say(ctx, "cancelled flight " + ctx.metadata().getString("booking"));
        }
    }

    /** Books a hotel; cancels it when compensated. */
    @Step(name = "BookHotel")
    public static class BookHotel implements OnStart, OnCompensate {
        @Override
        public void onStart(StepContext ctx) {
            String booking = "HT-" + ctx.pipelineMetadata().getLong("nights") + "N";
            ctx.metadata().put("booking", booking);
            say(ctx, "booked hotel " + booking);
        }

        @Override
        public void onCompensate(StepContext ctx) {
            say(ctx, "cancelled hotel " + ctx.metadata().getString("booking"));
        }
    }

    /** Tries to rent a car: none is left, so the step fails and the trip is compensated. */
    @Step(name = "BookCar")
    public static class BookCar implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            say(ctx, "no car left in " + ctx.pipelineMetadata().getString("destination"));
            ctx.fail("no car available");
        }
    }

    /** The trip: flight, hotel, car. */
    @Pipeline(name = "Trip", steps = {BookFlight.class, BookHotel.class, BookCar.class})
    public static class Trip {
    }
}
