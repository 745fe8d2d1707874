package io.prorch.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.repository.Model;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child JVM of {@link PostgresSignalWakeTest}: one orchestrator on a PostgreSQL schema that starts {@code n}
 * pipelines whose step waits for the signal {@code go}, prints {@code started <id>} for each and then {@code ready}.
 * Mode {@code hold}: it polls every 30 s, so only a notice wakes its steps early; a step that reads its signal finishes
 * and prints {@code woke <id>}. Mode {@code busy}: as {@code hold}, but each step's onStart returns only once its
 * signal is saved, and {@code ready} comes at once, so the parent's signals arrive while this JVM holds the claims. Mode {@code kill}: it polls every 100 ms, sends {@code go} to each pipeline itself,
 * prints {@code sent}, and a step that reads its signal prints {@code read <id>} and then hangs, so that the parent can
 * kill this JVM between the signal's save and its consumption. It halts when its standard input closes or after 120 s.
 *
 * <p>Arguments: jdbcUrl schema mode n claimMillis
 */
public final class SignalChildMain {
    /** True in the kill mode's JVM: a step that read its signal hangs instead of finishing. */
    static volatile boolean hang;
    /** In the busy mode's JVM: the store onStart watches, holding the claim, until its signal is saved. */
    static volatile JdbcRepository busyUntilSignalled;
    /** How often each pipeline's step read a signal, in this JVM. */
    static final Map<UUID, AtomicInteger> READS = new ConcurrentHashMap<>();

    private SignalChildMain() {
    }

    /** Waits for {@code go}; on reading it, records the payload and finishes (or hangs, in the kill mode). */
    @Step(name = "AwaitGo")
    public static class AwaitGo implements OnStart, OnContinue {
        @Override
        public void onStart(StepContext ctx) throws InterruptedException {
            JdbcRepository store = busyUntilSignalled;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (store != null && System.nanoTime() < deadline && store.search(Model.SIGNAL,
                    SearchFilter.all().where(SearchField.PIPELINE_ID, ctx.pipelineId())).isEmpty()) {
                Thread.sleep(20);
            }
            ctx.awaitSignal("go", Duration.ofHours(1));
        }

        @Override
        public void onContinue(StepContext ctx) throws Exception {
            var signal = ctx.signal("go");
            if (signal.isEmpty()) {
                return;
            }
            UUID id = ctx.pipelineId();
            READS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (hang) {
                System.out.println("read " + id);
                System.out.flush();
                Thread.sleep(120_000);
            }
            ctx.metadata().put("by", signal.get().payload().get("by"));
            ctx.finish();
            System.out.println("woke " + id);
            System.out.flush();
        }
    }

    /** One step that waits for {@code go}. */
    @Pipeline(name = "Signalled", steps = AwaitGo.class)
    public static class Signalled {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        boolean kill = args[2].equals("kill");
        boolean busy = args[2].equals("busy");
        int n = Integer.parseInt(args[3]);
        Duration claim = Duration.ofMillis(Long.parseLong(args[4]));
        hang = kill;
        Thread guard = new Thread(() -> haltWhenStdinCloses(System.in), "stdin-guard");
        guard.setDaemon(true);
        guard.start();
        HikariDataSource pool = ChaosDatabase.pool(url, n + 4);
        JdbcRepository repository = JdbcRepository.builder().dataSource(pool).schema(schema).migrate(false).build();
        busyUntilSignalled = busy ? repository : null;
        Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                .register(Signalled.class).orchestratorId("child-" + args[2]).claimDuration(claim).workerThreads(n)
                .build());
        UUID[] ids = new UUID[n];
        for (int i = 0; i < n; i++) {
            ids[i] = orchestrator.start(Signalled.class, Map.of("i", i));
            System.out.println("started " + ids[i]);
        }
        if (!busy) {
            orchestrator.awaitIdle(Duration.ofSeconds(30));
        }
        orchestrator.startPolling(Duration.ofMillis(kill ? 100 : 30_000));
        System.out.println("ready");
        System.out.flush();
        if (kill) {
            for (int i = 0; i < n; i++) {
                orchestrator.signal(ids[i], "go", Map.of("by", "child-" + i));
            }
            System.out.println("sent");
            System.out.flush();
        }
        Thread.sleep(120_000);
        Runtime.getRuntime().halt(3);
    }

    private static void haltWhenStdinCloses(InputStream in) {
        try {
            while (in.read() >= 0) {
                // the parent never writes; read() returns -1 once it closes the pipe or dies
            }
        } catch (java.io.IOException ignored) {
            // same as closed
        }
        Runtime.getRuntime().halt(4);
    }
}
