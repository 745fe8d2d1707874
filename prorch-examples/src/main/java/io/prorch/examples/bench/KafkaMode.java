package io.prorch.examples.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Pipeline;
import io.prorch.Signal;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.examples.kafka.EventProducer;
import io.prorch.examples.kafka.Service;
import io.prorch.jdbc.JdbcRepository;
import io.prorch.kafka.Command;
import io.prorch.kafka.CommandStep;
import io.prorch.kafka.KafkaCommands;
import io.prorch.kafka.MessageRouter;
import io.prorch.kafka.ReplyListener;
import io.prorch.kafka.TopicStarter;
import io.prorch.kafka.test.EmbeddedKafka;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code --mode kafka}: workflows through a real Kafka broker (KRaft, started in this JVM). {@code --n} (500) events
 * are produced to a topic; each starts a workflow of two command steps, each a request to a service that replies.
 * Reported: workflows per second (first event produced until the database shows every workflow finished), and the
 * commands' end-to-end latency (p50, p99, max): from the step deciding its command, through its commit, the send, the
 * service, the reply and its signal, until the step reads the reply. Also {@code --workers} (4), {@code --timeout}
 * seconds (300). The broker shares the machine with the database and the orchestrator.
 */
final class KafkaMode {
    /** The latencies measured by the steps, in nanoseconds. */
    static final ConcurrentLinkedQueue<Long> LATENCIES = new ConcurrentLinkedQueue<>();

    private KafkaMode() {
    }

    /** The first command of a benchmark workflow. */
    @Step(name = "BenchFirstCommand")
    public static class First extends CommandStep {
        @Override
        protected Command command(StepContext ctx) {
            return Command.request("bench_first", Map.of("t", System.nanoTime()), Duration.ofMinutes(5));
        }

        @Override
        protected void onReply(StepContext ctx, Signal reply) {
            LATENCIES.add(System.nanoTime() - ((Number) reply.payload().get("t")).longValue());
            ctx.finish();
        }
    }

    /** The second command of a benchmark workflow. */
    @Step(name = "BenchSecondCommand")
    public static class Second extends First {
        @Override
        protected Command command(StepContext ctx) {
            return Command.request("bench_second", Map.of("t", System.nanoTime()), Duration.ofMinutes(5));
        }
    }

    /** Two command steps. */
    @Pipeline(name = "BenchKafkaWorkflow", steps = {First.class, Second.class})
    public static class Workflow {
    }

    /** @return the RESULT line's fields */
    static Map<String, Object> run(BenchOptions options) throws Exception {
        int n = options.integer("n", 500);
        int workers = options.integer("workers", 4);
        long deadline = System.nanoTime() + options.integer("timeout", 300) * 1_000_000_000L;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("config", "prorch kafka: 2 command steps per workflow, one broker in this JVM, workers=" + workers
                + ", pool=8");
        r.put("n", n);
        LATENCIES.clear();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); HikariDataSource ds = options.freshDatabase()) {
            String bootstrap = kafka.bootstrapServers();
            kafka.createTopics(4, "bench_events", "bench_first", "bench_second", "bench_replies");
            JdbcRepository repository = JdbcRepository.create(ds);
            try (Service first = new Service("first", bootstrap, "bench_first", c -> c.payload());
                 Service second = new Service("second", bootstrap, "bench_second", c -> c.payload());
                 KafkaCommands commands = KafkaCommands.builder().bootstrapServers(bootstrap)
                         .replyTopic("bench_replies").build();
                 Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder().repository(repository)
                         .register(Workflow.class).stepFactory(commands.stepFactory()).workerThreads(workers)
                         .claimDuration(Duration.ofSeconds(30)).build());
                 EventProducer events = new EventProducer(bootstrap, "bench_events", "e-")) {
                orchestrator.startPolling(Duration.ofMillis(100));
                try (ReplyListener replies = commands.replyListener(orchestrator, "bench").build();
                     TopicStarter starter = TopicStarter.builder(orchestrator).bootstrapServers(bootstrap)
                             .groupId("bench").topics("bench_events").router(MessageRouter.json("BenchKafkaWorkflow"))
                             .build()) {
                    replies.start();
                    starter.start();
                    long t0 = System.nanoTime();
                    events.produce(n);
                    long finished = 0;
                    while (finished < n && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                        finished = BenchDatabase.count(ds, "SELECT COUNT(*) FROM pipelines WHERE status = 'finished'");
                    }
                    long elapsed = System.nanoTime() - t0;
                    r.put("wall_ms", BenchMeasures.round(elapsed / 1e6));
                    r.put("workflows_s", BenchMeasures.round(finished / (elapsed / 1e9)));
                    long[] latencies = LATENCIES.stream().mapToLong(Long::longValue).sorted().toArray();
                    if (latencies.length > 0) {
                        r.put("command_p50_ms", BenchMeasures.round(latencies[latencies.length / 2] / 1e6));
                        r.put("command_p99_ms", BenchMeasures.round(latencies[latencies.length * 99 / 100] / 1e6));
                        r.put("command_max_ms", BenchMeasures.round(latencies[latencies.length - 1] / 1e6));
                    }
                    r.put("completed", finished);
                    r.put("commands_resent", first.repeats() + second.repeats());
                    r.put("status", finished == n ? "OK" : "TIMEOUT");
                }
            }
        }
        return r;
    }
}
