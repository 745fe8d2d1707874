package io.prorch.examples.schedule;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Limit;
import io.prorch.OnStart;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.Schedule;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Two orchestrators share one H2 database: a report is scheduled every second ({@code "* * * * * *"}), and twelve
 * exports go through a queue limited to two at once. It runs until the exports are done and three ticks have passed,
 * then prints one line: ticks and reports (one per tick, whichever orchestrator saw it first), exports and the most
 * that ran at once. Exit code 0 when each tick started one report and never more than two exports ran at once.
 *
 * <pre>
 * mvn -q -DskipTests package &amp;&amp; java -cp prorch-examples/target/prorch-examples.jar io.prorch.examples.schedule.ScheduleMain
 * </pre>
 */
public final class ScheduleMain {
    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger MOST = new AtomicInteger();

    private ScheduleMain() {
    }

    /** Writes the report of one tick (here: says which tick it is). */
    @Step(name = "WriteReport")
    public static class WriteReport implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            System.out.println("report for tick " + ctx.pipelineMetadata().getString("scheduledAt"));
            ctx.finish();
        }
    }

    /** Exports one customer's data; slow, so the limit shows. */
    @Step(name = "Export")
    public static class Export implements OnStart {
        @Override
        public void onStart(StepContext ctx) throws InterruptedException {
            MOST.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
            try {
                Thread.sleep(150);
            } finally {
                RUNNING.decrementAndGet();
            }
            ctx.finish();
        }
    }

    /** Started by the schedule. */
    @Pipeline(name = "Report", steps = WriteReport.class)
    public static class Report {
    }

    /** Started twelve times, run two at a time. */
    @Pipeline(name = "CustomerExport", steps = Export.class)
    public static class CustomerExport {
    }

    /** Runs the example; exits 0 if every tick started one report and at most two exports ran at once. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            System.err.println("usage: ScheduleMain (no options)");
            System.exit(2);
        }
        System.exit(run() ? 0 : 1);
    }

    /** @return true if each tick started one report and no more than two exports ran at once */
    static boolean run() throws InterruptedException {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl("jdbc:h2:mem:prorch-schedule-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        pool.setMaximumPoolSize(12);
        RUNNING.set(0);
        MOST.set(0);
        List<Orchestrator> orchestrators = new ArrayList<>();
        HikariDataSource database = new HikariDataSource(pool);
        try {
            return run(database, orchestrators);
        } finally {
            orchestrators.forEach(Orchestrator::close); // idempotent: stops them if the run threw, before the pool
            database.close();
        }
    }

    private static boolean run(HikariDataSource database, List<Orchestrator> orchestrators)
            throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
                    .repository(JdbcRepository.create(database))
                    .register(Report.class, CustomerExport.class)
                    .schedule(Schedule.cron("* * * * * *").pipeline(Report.class))
                    .limit(Limit.pipeline(CustomerExport.class).maxRunning(2))
                    .build());
            orchestrator.startPolling(Duration.ofMillis(20));
            orchestrators.add(orchestrator);
        }
        List<UUID> exports = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            exports.add(orchestrators.get(i % 2).start(CustomerExport.class, Map.of("customer", i)));
        }
        boolean exported = true;
        for (UUID id : exports) {
            exported &= orchestrators.get(0).awaitCompletion(id, Duration.ofSeconds(30)).status()
                    == Status.FINISHED;
        }
        JdbcRepository store = JdbcRepository.create(database);
        List<PipelineRecord> reports = List.of();
        for (int wait = 0; wait < 100 && reports.size() < 3; wait++) {
            Thread.sleep(50);
            reports = store.search(Model.PIPELINE, SearchFilter.all().where(SearchField.NAME, "Report"));
        }
        orchestrators.forEach(Orchestrator::close);
        reports = store.search(Model.PIPELINE, SearchFilter.all().where(SearchField.NAME, "Report"));
        Set<Object> ticks = reports.stream().map(p -> p.metadata().get("scheduledAt")).collect(Collectors.toSet());
        boolean ok = exported && reports.size() >= 3 && ticks.size() == reports.size() && MOST.get() <= 2;
        System.out.println((ok ? "OK" : "FAILED") + ": " + ticks.size() + " ticks, " + reports.size()
                + " reports started (one per tick across 2 orchestrators); 12 exports, at most " + MOST.get()
                + " at once (limit 2)");
        return ok;
    }
}
