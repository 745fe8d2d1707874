package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.PassSummary;
import io.prorch.jdbc.JdbcRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --mode history}: whether a pass costs the same however much history the store holds. {@code --due} (1,000)
 * due pipelines of a step that waits for ever lie beside {@code --history} (10,000) finished ones; the orchestrator
 * makes {@code --passes} (15) passes, each claiming every due pipeline, and the median pass time is reported. Compare
 * runs with different {@code --history}. Also {@code --workers} (4) and {@code --batch} (200).
 */
final class HistoryMode {
    private HistoryMode() {
    }

    /** @return the RESULT line's fields: the passes' median and every pass, in milliseconds */
    static Map<String, Object> run(BenchOptions options) throws Exception {
        int finished = options.integer("history", 10_000);
        int due = options.integer("due", 1000);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch pass over " + due + " due pipelines beside " + finished + " finished");
        try (HikariDataSource ds = options.freshDatabase()) {
            JdbcRepository repository = JdbcRepository.create(ds);
            Instant past = Instant.now().minusSeconds(3600);
            BenchRecords.insertFinished(repository, finished, past);
            BenchRecords.insert(repository, due, "Waiting", List.of("Waits"), i -> Map.of(), past);
            BenchDatabase.analyze(options.db(), ds);
            List<Double> passes = new ArrayList<>();
            try (Orchestrator orchestrator =
                         new Orchestrator(options.orchestrator(repository, null, "history").build())) {
                // the first passes measure the JIT's warm-up: enough passes that the median is the steady pass
                for (int i = 0; i < options.integer("passes", 15); i++) {
                    PassSummary pass = orchestrator.executePipelines();
                    if (pass.claimed() != due) {
                        throw new IllegalStateException("a pass claimed " + pass.claimed() + ", expected " + due);
                    }
                    passes.add(pass.elapsed().toNanos() / 1e6);
                    Thread.sleep(5);
                }
            }
            r.put("pass_ms_median", BenchMeasures.round(BenchMeasures.median(passes)));
            r.put("pass_ms_all", passes.stream().map(BenchMeasures::round).toList().toString().replace(" ", ""));
            r.put("status", "OK");
        }
        return r;
    }
}
