package io.prorch.jdbc;

import io.prorch.ChildWait;
import io.prorch.Children;
import io.prorch.OnCompensate;
import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The pipelines of {@link ShapesKillContract}, and the main of its child JVM. Every hook appends what it did to a ledger
 * file named in the input. In the child JVM (system property {@value #BLOCK}), the hook named by the input's
 * {@code blockAt} prints a marker and hangs, so the test can kill the JVM with SIGKILL at that very point.
 */
public final class CrashShapes {
    /** Set in the child JVM only: hooks hang where the input says. */
    static final String BLOCK = "prorch.shapes.crash.block";

    private CrashShapes() {
    }

    static void log(StepContext ctx, String line) {
        try {
            Files.writeString(Path.of(ctx.pipelineMetadata().getString("ledger")), line + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints {@code marker} and hangs, in the child JVM, when the input blocks at {@code point}. */
    static void hangIf(StepContext ctx, String point, String marker) throws InterruptedException {
        if (System.getProperty(BLOCK) != null && point.equals(ctx.pipelineMetadata().getString("blockAt", ""))) {
            System.out.println(marker);
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    @Step(name = "CrashFlight")
    public static class Flight implements OnStart, OnCompensate {
        @Override
        public void onStart(StepContext ctx) {
            log(ctx, "book flight");
        }

        @Override
        public void onCompensate(StepContext ctx) {
            log(ctx, "cancel flight");
        }
    }

    @Step(name = "CrashHotel")
    public static class Hotel implements OnStart, OnCompensate {
        @Override
        public void onStart(StepContext ctx) {
            log(ctx, "book hotel");
        }

        @Override
        public void onCompensate(StepContext ctx) throws InterruptedException {
            log(ctx, "refund hotel");
            hangIf(ctx, "compensation", "IN_COMPENSATION");
        }
    }

    @Step(name = "CrashCar")
    public static class Car implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            log(ctx, "book car");
            ctx.fail("no cars left");
        }
    }

    @Pipeline(name = "CrashTrip", steps = {Flight.class, Hotel.class, Car.class})
    public static class Trip {
    }

    /** A child: squares its number; in the child JVM, numbers 7 to 9 hang when the input blocks at the fan-in. */
    @Step(name = "CrashSquare")
    public static class Square implements OnStart {
        @Override
        public void onStart(StepContext ctx) throws InterruptedException {
            long n = ctx.pipelineMetadata().getLong("n");
            log(ctx, "square " + n);
            if (n >= 7) {
                hangIf(ctx, "fan-in", "CHILD_RUNNING");
            }
            ctx.pipelineMetadata().put("square", n * n);
        }
    }

    @Pipeline(name = "CrashWork", steps = Square.class)
    public static class Work {
    }

    /** Starts ten children (hanging after five, when the input blocks at the fan-out), waits for all, sums. */
    @Step(name = "CrashSplit")
    public static class Split implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) throws InterruptedException {
            for (long i = 0; i < 10; i++) {
                if (i == 5) {
                    hangIf(ctx, "fan-out", "FANNING_OUT");
                }
                ctx.startChild(Work.class, Map.of("n", i, "ledger", ctx.pipelineMetadata().getString("ledger"),
                        "blockAt", ctx.pipelineMetadata().getString("blockAt", "")));
            }
            ctx.awaitChildren(ChildWait.all());
        }

        @Override
        public void onContinue(StepContext ctx) {
            Children children = ctx.children();
            log(ctx, "fan-in with " + children.ended().size() + " ended");
            ctx.pipelineMetadata().put("sum", children.finished().stream()
                    .mapToLong(c -> ((Number) c.metadata().get("square")).longValue()).sum())
                    .put("ended", (long) children.ended().size());
            ctx.finish();
        }
    }

    @Pipeline(name = "CrashFanOut", steps = Split.class)
    public static class FanOut {
    }

    static Orchestrator orchestrator(JdbcRepository repository) {
        return new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(Trip.class, FanOut.class, Work.class).claimDuration(Duration.ofSeconds(2)).build());
    }

    /** The child JVM: {@code <jdbc url> <pipeline: trip | fan-out> <blockAt> <ledger>}; polls until killed. */
    public static void main(String[] args) throws Exception {
        JdbcRepository repository = JdbcRepository.create(new Databases.UrlDataSource(args[0], false));
        Orchestrator orchestrator = orchestrator(repository);
        orchestrator.startPolling(Duration.ofMillis(50));
        UUID id = orchestrator.start(args[1].equals("trip") ? Trip.class : FanOut.class,
                Map.of("blockAt", args[2], "ledger", args[3]));
        System.out.println("started " + id);
        System.out.flush();
        Thread.sleep(120_000);   // the test kills this JVM long before
        Runtime.getRuntime().halt(3);
    }
}
