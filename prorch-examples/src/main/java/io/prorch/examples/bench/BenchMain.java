package io.prorch.examples.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * prorch's benchmark: runs the mode named by {@code --mode} and prints its result as one tab-separated RESULT line in
 * the format of the peer harness ({@code shared/bench-peers}), so that
 * {@code PRORCH_CMD="java -cp prorch-examples.jar io.prorch.examples.bench.BenchMain" run.sh pg} measures prorch in the
 * same rounds as its peers. {@code --db pg} (the default) or {@code h2} chooses the database. The modes:
 * <ul>
 *   <li>{@code peers} (the default): the harness's workload, {@link PeersMode};</li>
 *   <li>{@code backlog}: draining pipelines already due, and the peak heap, {@link BacklogMode};</li>
 *   <li>{@code history}: a pass over due pipelines beside many finished ones, {@link HistoryMode};</li>
 *   <li>{@code idle}: a pass when many pipelines wait and none is due, {@link IdleMode};</li>
 *   <li>{@code starts}: the records a {@code start()} saves, saved alone, {@link StartsMode};</li>
 *   <li>{@code store}: the harness's workload on prorch's store without the engine, {@link StoreMode};</li>
 *   <li>{@code signals}: signals per second and the signal-to-wake latency, {@link SignalsMode};</li>
 *   <li>{@code kafka}: workflows per second through a Kafka broker and the commands' latency, {@link KafkaMode};</li>
 *   <li>{@code query}: an operator's page and counts beside a million finished pipelines, {@link QueryMode};</li>
 *   <li>{@code services}: machinery's workflows over HTTP, completed per second, and the accept latency,
 *       {@link ServicesMode}.</li>
 * </ul>
 * The other modes measure what the peers' workload does not. A failure is the line's {@code status=ERROR ...}, not an
 * exception, so the harness records it like any result; the measured figures are in {@code BENCHMARKS.md}.
 *
 * <pre>
 * java -cp prorch-examples/target/prorch-examples.jar io.prorch.examples.bench.BenchMain --db pg --n 2000 --warmup 500
 * </pre>
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** Runs the mode named by {@code --mode}, prints its RESULT line, and exits (stray threads must not linger). */
    public static void main(String[] argv) {
        System.out.println(run(argv));
        System.exit(0);
    }

    /**
     * @return the RESULT line of the mode named by {@code --mode} (an ERROR status instead of an exception)
     * @throws IllegalArgumentException for an argument that is not an option
     */
    public static String run(String... argv) {
        BenchOptions options = BenchOptions.parse(argv);
        Map<String, Object> result;
        try {
            result = switch (options.mode()) {
                case "peers" -> PeersMode.run(options);
                case "backlog" -> BacklogMode.run(options);
                case "history" -> HistoryMode.run(options);
                case "idle" -> IdleMode.run(options);
                case "starts" -> StartsMode.run(options);
                case "store" -> StoreMode.run(options);
                case "signals" -> SignalsMode.run(options);
                case "kafka" -> KafkaMode.run(options);
                case "query" -> QueryMode.run(options);
                case "services" -> ServicesMode.run(options);
                default -> throw new IllegalArgumentException("--mode must be peers, backlog, history, idle, starts,"
                        + " store, signals, kafka, query or services");
            };
        } catch (Exception e) {
            result = new LinkedHashMap<>();
            result.put("config", "prorch " + options.mode());
            result.put("status", "ERROR " + e.toString().replace('\t', ' ').replace('\n', ' '));
        }
        StringBuilder line = new StringBuilder("RESULT\tsystem=prorch\tdb=").append(options.db());
        result.forEach((k, v) -> line.append('\t').append(k).append('=').append(v));
        return line.toString();
    }
}
