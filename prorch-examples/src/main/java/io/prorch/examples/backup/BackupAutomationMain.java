package io.prorch.examples.backup;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Status;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.micrometer.MicrometerListener;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.web.ProrchWeb;
import io.prorch.web.WebServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * The README's first command: runs the backup automation pipeline on an embedded H2 file database (or any JDBC URL),
 * printing each transition, and resumes unfinished pipelines on the next run. With {@code --metrics} it also records
 * prorch's Micrometer meters and prints them at the end; with {@code --web PORT} it serves the status page while the
 * pipelines run and afterwards, until Ctrl-C (or, in-process, until its thread is interrupted).
 */
public final class BackupAutomationMain {
    private static final List<String> DATABASES = List.of("orders", "customers", "invoices", "inventory", "payroll");

    private BackupAutomationMain() {
    }

    /** Runs the example and exits with its status: 0 done, 1 a runtime failure, 2 bad arguments. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the example.
     *
     * @return 0 when it ran (all done, or stopped after --max-passes), 1 for a runtime failure, 2 for bad arguments;
     *     each failure is one line on {@code err}, without a stack trace
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (options.help()) {
            out.print(Options.USAGE);
            return 0;
        }
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        BackupEnvironment env;
        try {
            Files.createDirectories(dataDir);
            if (!Files.isWritable(dataDir)) {
                throw new IOException("not writable");
            }
            env = BackupEnvironment.under(dataDir, options.archiveTime());
        } catch (IOException | RuntimeException e) {
            err.println("error: cannot use data directory " + dataDir + " (" + e.getMessage() + ")");
            return 1;
        }
        String url = options.jdbcUrl() != null ? options.jdbcUrl() : embeddedUrl(dataDir);
        try (HikariDataSource dataSource = dataSource(url, options)) {
            out.println("Database: " + url + (options.jdbcUrl() == null ? "  (embedded H2; --jdbc-url to change)" : ""));
            out.println("Backups:  " + env.backups() + "  ->  " + env.secureStorage());
            return drive(JdbcRepository.create(dataSource), env, options, out);
        } catch (RuntimeException e) {
            err.println("error: " + oneLine(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return 1;
        }
    }

    private static int drive(IRepository repository, BackupEnvironment env, Options options, PrintStream out)
            throws InterruptedException {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OrchestratorConfig.Builder builder = OrchestratorConfig.builder();
        if (options.metrics()) {
            builder.listener(MicrometerListener.create(meters));
        }
        OrchestratorConfig config = builder
                .repository(repository)
                .register(BackupAutomationPipeline.class)
                .stepFactory(type -> type.getConstructor(BackupEnvironment.class).newInstance(env))
                // short, so that after a kill -9 the next run takes the pipelines over within seconds
                .claimDuration(Duration.ofSeconds(5))
                .build();
        Orchestrator orchestrator = new Orchestrator(config);
        WebServer web;
        try {
            web = options.webPort() < 0 ? null : ProrchWeb.builder(orchestrator).port(options.webPort()).build().start();
        } catch (RuntimeException portTaken) {
            orchestrator.close();
            throw portTaken;
        }
        Thread closer = new Thread(() -> {
            out.println("Stopping: hooks in flight finish and are saved; run again to resume the rest.");
            orchestrator.close();
            if (web != null) {
                web.close();
            }
        });
        Runtime.getRuntime().addShutdownHook(closer);
        try {
            if (web != null) {
                out.println("Status page: " + web.url());
            }
            TransitionPrinter printer = new TransitionPrinter(orchestrator, out);
            List<PipelineRecord> unfinished = repository.search(Model.PIPELINE, SearchFilter.all()
                    .where(SearchField.NAME, "BackupAutomationPipeline").where(SearchField.STATUS, Status.PENDING));
            if (!unfinished.isEmpty()) {
                out.println("Resuming " + unfinished.size() + " unfinished pipeline(s) from the last run.");
                unfinished.forEach(p -> printer.watchResumed(p.id()));
            } else {
                out.println("Starting " + options.pipelines() + " backup pipeline(s).");
                for (int i = 0; i < options.pipelines(); i++) {
                    String database = DATABASES.get(i % DATABASES.size());
                    UUID id = orchestrator.start(BackupAutomationPipeline.class, Map.of("database", database));
                    printer.watchStarted(id);
                    out.printf("pipeline %s started for database \"%s\"%n", TransitionPrinter.shortId(id), database);
                }
                orchestrator.awaitIdle(Duration.ofSeconds(30));
            }
            printer.printChanges();
            int passes = 0;
            while (!printer.unfinished().isEmpty() && (options.maxPasses() == 0 || passes < options.maxPasses())) {
                Thread.sleep(options.pollInterval().toMillis());
                orchestrator.executePipelines();
                passes++;
                printer.printChanges();
            }
            printer.printTable();
            int left = printer.unfinished().size();
            out.println();
            out.println(left == 0 ? "All pipelines finished after " + passes + " pass(es)."
                    : left + " pipeline(s) left unfinished after " + passes
                    + " pass(es); run the same command again to resume them.");
            if (options.metrics()) {
                out.println();
                out.println("Meters:");
                out.println(meters.getMetersAsString());
            }
            if (web != null) {
                serveUntilStopped(web, out);
            }
            return 0;
        } finally {
            if (web != null) {
                web.close();
            }
            orchestrator.close();
            try {
                Runtime.getRuntime().removeShutdownHook(closer);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
    }

    /** Keeps the status page up until Ctrl-C ends the JVM, or an interrupt (a test) ends the wait. */
    private static void serveUntilStopped(WebServer web, PrintStream out) {
        out.println("Status page still at " + web.url() + " ; press Ctrl-C to stop.");
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException stopped) {
            // the caller's way to stop serving: the run itself is done, so it still ends with 0
            out.println("Status page stopped.");
        }
    }

    /**
     * The embedded default: an H2 file database that writes every commit to its file at once (WRITE_DELAY=0). H2's own
     * default delays writes by up to half a second, and a process killed in that window loses transitions it had
     * reported as committed.
     */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("prorch") + ";WRITE_DELAY=0";
    }

    private static HikariDataSource dataSource(String url, Options options) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(options.user() != null ? options.user() : url.startsWith("jdbc:h2:") ? "sa" : null);
        config.setPassword(options.password());
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(5_000);
        config.setPoolName("prorch-example");
        if (url.startsWith("jdbc:postgresql:")) {
            // never hang on a dead server: fail the call and let the orchestrator retry later
            config.addDataSourceProperty("connectTimeout", "5");
            config.addDataSourceProperty("socketTimeout", "30");
        } else if (url.startsWith("jdbc:mariadb:")) {
            // the same, in the milliseconds MariaDB's driver counts in
            config.addDataSourceProperty("connectTimeout", "5000");
            config.addDataSourceProperty("socketTimeout", "30000");
        }
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to " + url + ": " + rootMessage(e), e);
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return oneLine(root);
    }
}
