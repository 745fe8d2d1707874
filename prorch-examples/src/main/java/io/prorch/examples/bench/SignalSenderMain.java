package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.jdbc.JdbcRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The second JVM of {@code --mode signals --signal-jvm}: connects to the schema the benchmark set up (PostgreSQL),
 * sends {@code go} to each pipeline id listed in {@code --ids FILE} from {@code --submitters} threads through an
 * orchestrator that never polls ({@code --rate} sends per second in total if above 0), and prints {@code FIRST micros}
 * (the first send's start) and {@code SENT i micros} (send {@code i} returned), in epoch microseconds, then exits. A failure is printed as {@code ERROR ...}, exit 1.
 */
public final class SignalSenderMain {
    private SignalSenderMain() {
    }

    /** Sends the signals and exits. */
    public static void main(String[] argv) {
        try {
            BenchOptions options = BenchOptions.parse(argv);
            List<UUID> ids = Files.readAllLines(Path.of(options.value("ids"))).stream().map(UUID::fromString).toList();
            long[] sent = new long[ids.size()];
            long first;
            try (HikariDataSource ds = BenchDatabase.existingPg(4)) {
                JdbcRepository repository = JdbcRepository.create(ds);
                try (Orchestrator orchestrator = new Orchestrator(SignalsMode.config(options, repository,
                        new SignalsMode.Wakes(0, true), "signal-sender").workerThreads(1).build())) {
                    first = SignalsMode.epochMicros();
                    long start = System.nanoTime();
                    int rate = options.integer("rate", 0);
                    PeersWorkload.submitters(options.integer("submitters", 1), i -> {
                        SignalsMode.pace(start, i, rate);
                        orchestrator.signal(ids.get(i), SignalsMode.SIGNAL, Map.of("i", i));
                        sent[i] = SignalsMode.epochMicros();
                    }).submit(0, ids.size());
                }
            }
            StringBuilder out = new StringBuilder("FIRST ").append(first).append('\n');
            for (int i = 0; i < sent.length; i++) {
                out.append("SENT ").append(i).append(' ').append(sent[i]).append('\n');
            }
            System.out.print(out);
            System.out.flush();
            System.exit(0);
        } catch (Exception e) {
            System.out.println("ERROR " + e.toString().replace('\n', ' '));
            System.out.flush();
            System.exit(1);
        }
    }
}
