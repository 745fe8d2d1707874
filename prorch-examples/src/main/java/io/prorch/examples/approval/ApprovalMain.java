package io.prorch.examples.approval;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.PipelineEvent;
import io.prorch.PipelineListener;
import io.prorch.PipelineView;
import io.prorch.SignalTarget;
import io.prorch.Status;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.repository.Model;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import io.prorch.repository.SignalRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Orders that wait for a reviewer: 20 orders are started; a reviewer thread approves 18 (the first six before their
 * step even waits), rejects one, and never answers one, whose short deadline ends it. Every transition is printed, and
 * the last line counts what happened; exit code 0 when it is exactly that, with no signal lost or read twice.
 *
 * <pre>
 * mvn -q -DskipTests package &amp;&amp; java -cp prorch-examples/target/prorch-examples.jar io.prorch.examples.approval.ApprovalMain
 * </pre>
 *
 * Options: {@code --jdbc-url URL} (PostgreSQL or MariaDB; default: an H2 file under
 * {@code ./prorch-example-data/approval}), {@code --orders N} (20, at least 3).
 */
public final class ApprovalMain {
    private ApprovalMain() {
    }

    /** Runs the example; exits 0 if every order ended as planned, 1 otherwise, 2 for bad arguments. */
    public static void main(String[] args) throws Exception {
        String url = null;
        int orders = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jdbc-url" -> url = i + 1 < args.length ? args[++i] : null;
                case "--orders" -> orders = i + 1 < args.length ? parse(args[++i]) : -1;
                default -> orders = -1;
            }
        }
        if (orders < 3 || (url == null && args.length > 0 && args[0].equals("--jdbc-url"))) {
            System.err.println("usage: ApprovalMain [--jdbc-url URL] [--orders N (at least 3)]");
            System.exit(2);
        }
        System.exit(run(url, orders, Path.of("prorch-example-data", "approval")) ? 0 : 1);
    }

    private static int parse(String number) {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * @param url a database URL, or null for a fresh H2 file database under {@code dataDir}
     * @return true if 2 less than {@code orders} were approved, one rejected and one timed out, none lost
     */
    public static boolean run(String url, int orders, Path dataDir) throws Exception {
        try (HikariDataSource dataSource = dataSource(url, dataDir)) {
            JdbcRepository repository = JdbcRepository.create(dataSource);
            try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                    .register(ApprovalSteps.OrderApproval.class).listener(new Printer()).build())) {
                orchestrator.startPolling(Duration.ofSeconds(1));   // a signal wakes its step at once, not on the poll
                List<UUID> ids = new ArrayList<>();
                for (int i = 0; i < orders; i++) {
                    boolean silent = i == orders - 1;
                    ids.add(orchestrator.starter(ApprovalSteps.OrderApproval.class)
                            .idempotencyKey("order-" + UUID.randomUUID())
                            .input(Map.of("order", i, "reserveMs", i < 6 ? 1500 : 100,
                                    "reviewWithinMs", silent ? 1500 : 60_000)).start());
                }
                for (int i = 0; i < orders - 1; i++) {
                    boolean rejected = i == orders - 2;
                    orchestrator.signaller(SignalTarget.id(ids.get(i))).name(ApprovalSteps.REVIEWED)
                            .payload(Map.of("approved", !rejected, "by", rejected ? "bob" : "alice"))
                            .key("review-" + i).send();
                    orchestrator.signaller(SignalTarget.id(ids.get(i))).name(ApprovalSteps.REVIEWED)
                            .payload(Map.of("approved", !rejected, "by", "alice")).key("review-" + i).send();
                    Thread.sleep(20);
                }
                int approved = 0;
                int rejectedCount = 0;
                int timedOut = 0;
                for (UUID id : ids) {
                    PipelineView view = orchestrator.awaitCompletion(id, Duration.ofSeconds(30));
                    String error = view.lastError() == null ? "" : view.lastError();
                    if (view.status() == Status.FINISHED) {
                        approved++;
                    } else if (error.contains("rejected by")) {
                        rejectedCount++;
                    } else if (error.contains("no review within")) {
                        timedOut++;
                    }
                }
                List<SignalRecord> signals = repository.search(Model.SIGNAL, SearchFilter.all());
                // every review was sent twice with one key: stored once, read once, none left unread
                long lost = signals.stream().filter(SignalRecord::isPending).count();
                long duplicates = Math.max(0, signals.size() - (orders - 1));
                System.out.printf("approved=%d rejected=%d timedOut=%d lost=%d duplicates=%d%n", approved,
                        rejectedCount, timedOut, lost, duplicates);
                return approved == orders - 2 && rejectedCount == 1 && timedOut == 1 && lost == 0 && duplicates == 0;
            }
        }
    }

    private static HikariDataSource dataSource(String url, Path dir) throws Exception {
        HikariConfig config = new HikariConfig();
        if (url == null) {
            Files.createDirectories(dir);
            // a fresh database every run: this example shows one batch of orders, not resumption
            Files.deleteIfExists(dir.resolve("approval.mv.db"));
            config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("approval").toAbsolutePath() + ";WRITE_DELAY=0");
            config.setUsername("sa");
        } else {
            config.setJdbcUrl(url);
        }
        config.setMaximumPoolSize(6);   // the workers (4), the committer and the poller
        config.setConnectionTimeout(5_000);
        return new HikariDataSource(config);
    }

    /** Prints every committed transition and every signal a step read. */
    private static final class Printer implements PipelineListener {
        @Override
        public void onEvent(PipelineEvent e) {
            String step = e.stepName() == null ? "" : " " + e.stepName();
            String detail = e.error() == null ? "" : ": " + e.error();
            // the id's random part: its first digits are a timestamp, the same for orders started together
            System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " order " + e.pipelineId()
                    .toString().substring(24, 32) + step + " " + e.type().name().toLowerCase(Locale.ROOT) + detail);
        }
    }
}
