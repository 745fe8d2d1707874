package io.prorch.examples.filerepo;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.OnStart;
import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** The orchestrator on a store of your own: the same pipeline code, a JSON file underneath. */
public final class FileRepositoryMain {
    private FileRepositoryMain() {
    }

    /** A one-shot step that greets whoever the pipeline input names. */
    @Step(name = "Greet")
    public static final class Greet implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.metadata().put("greeting", "Hello, " + ctx.pipelineMetadata().getString("name") + "!");
        }
    }

    /** A pipeline of one step. */
    @Pipeline(name = "Hello", steps = Greet.class)
    public static final class Hello {
    }

    /** Starts one pipeline on {@code pipelines.json} (or the path given) and prints where it ended. */
    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(args.length > 0 ? args[0] : "pipelines.json");
        try (Orchestrator orchestrator = new Orchestrator(OrchestratorConfig.builder()
                .repository(JsonFileRepository.open(file))
                .register(Hello.class)
                .build())) {
            UUID id = orchestrator.start(Hello.class, Map.of("name", "prorch"));
            orchestrator.awaitIdle(Duration.ofSeconds(10));
            System.out.println(orchestrator.find(id).orElseThrow());
        }
    }
}
