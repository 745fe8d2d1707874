package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.OrchestratorConfig;
import io.prorch.repository.IRepository;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's command line, {@code --key value} options (a key with no value is {@code true}), and what the modes
 * build from it: the fresh database and the orchestrator's configuration. An option is read where a mode first needs
 * it, so a mode ignores the options it does not know.
 */
final class BenchOptions {
    private final Map<String, String> values;

    private BenchOptions(Map<String, String> values) {
        this.values = values;
    }

    /** @throws IllegalArgumentException for an argument that is not an option or an option's value */
    static BenchOptions parse(String[] argv) {
        Map<String, String> values = new HashMap<>();
        List<String> rest = new ArrayList<>(Arrays.asList(argv));
        while (!rest.isEmpty()) {
            String key = rest.remove(0);
            if (!key.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + key);
            }
            values.put(key.substring(2), !rest.isEmpty() && !rest.get(0).startsWith("--") ? rest.remove(0) : "true");
        }
        return new BenchOptions(values);
    }

    /** @return {@code --mode}, {@code peers} by default */
    String mode() {
        return values.getOrDefault("mode", "peers");
    }

    /** @return {@code --db}, {@code pg} (the default) or {@code h2}; checked when the database is set up */
    String db() {
        return values.getOrDefault("db", "pg");
    }

    /** @return whether the run is on PostgreSQL, where the modes also read its statistics */
    boolean pg() {
        return db().equals("pg");
    }

    /** @return the integer option {@code key}, or {@code fallback} when it is not given */
    int integer(String key, int fallback) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
    }

    /** @return the option {@code key}, or {@code fallback} when it is not given */
    String text(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /** @throws IllegalArgumentException if the option {@code key} is not given */
    String value(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return value;
    }

    /** @return whether the flag {@code key} is given (with no value, or {@code true}) */
    boolean flag(String key) {
        return Boolean.parseBoolean(values.getOrDefault(key, "false"));
    }

    /** @return a pool of 8 on an empty schema (PostgreSQL) or file (H2 under {@code --h2-dir}), as the peers run */
    HikariDataSource freshDatabase() throws SQLException, IOException {
        return BenchDatabase.fresh(db(), 8, values.getOrDefault("h2-dir", BenchDatabase.H2_DIR));
    }

    /**
     * @return an orchestrator named {@code id} on {@code repository} that runs the benchmark's pipelines, its counting
     *     steps reporting to {@code tracker}, with {@code --workers} (4) worker threads and {@code --batch} (200)
     */
    OrchestratorConfig.Builder orchestrator(IRepository repository, ProcessTracker tracker, String id) {
        return OrchestratorConfig.builder().repository(repository)
                .register(BenchSteps.Chain.class, BenchSteps.Waiting.class)
                .stepFactory(type -> type == BenchSteps.Waits.class ? new BenchSteps.Waits()
                        : type.getConstructor(ProcessTracker.class).newInstance(tracker))
                .workerThreads(integer("workers", 4)).batchSize(integer("batch", 200))
                .claimDuration(Duration.ofSeconds(30)).orchestratorId(id);
    }
}
