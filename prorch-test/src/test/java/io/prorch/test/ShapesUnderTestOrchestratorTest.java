package io.prorch.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.ChildWait;
import io.prorch.OnCompensate;
import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Pipeline;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.Step;
import io.prorch.StepContext;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sagas and child pipelines under the test orchestrator's passes, without sleeping: a pass ends only once the parents
 * its children woke are due, so runUntilIdle fans in without moving the clock.
 */
class ShapesUnderTestOrchestratorTest {

    @Step(name = "TestLeaf")
    public static class Leaf implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.pipelineMetadata().put("double", 2 * ctx.pipelineMetadata().getLong("n"));
        }
    }

    @Pipeline(name = "TestLeafPipeline", steps = Leaf.class)
    public static class LeafPipeline {
    }

    @Step(name = "TestRoot")
    public static class Root implements OnStart, OnContinue, OnCompensate {
        @Override
        public void onStart(StepContext ctx) {
            for (long n = 1; n <= 5; n++) {
                ctx.startChild(LeafPipeline.class, Map.of("n", n));
            }
            ctx.awaitChildren(ChildWait.all());
        }

        @Override
        public void onContinue(StepContext ctx) {
            ctx.pipelineMetadata().put("total", ctx.children().finished().stream()
                    .mapToLong(c -> (Long) c.metadata().get("double")).sum());
            ctx.finish();
        }

        @Override
        public void onCompensate(StepContext ctx) {
            ctx.pipelineMetadata().put("undone", true);
        }
    }

    @Step(name = "TestRefuse")
    public static class Refuse implements OnStart {
        @Override
        public void onStart(StepContext ctx) {
            ctx.fail("refused");
        }
    }

    @Pipeline(name = "TestRootPipeline", steps = {Root.class, Refuse.class})
    public static class RootPipeline {
    }

    @Test
    @Timeout(60)
    void passesFanOutFanInAndCompensateWithoutMovingTheClock() {
        try (TestOrchestrator test = TestOrchestrator.create(b -> b.register(RootPipeline.class,
                LeafPipeline.class))) {
            UUID id = test.start(RootPipeline.class);
            var before = test.clock().instant();

            test.runUntilIdle();
            PipelineView root = test.find(id).orElseThrow();

            assertThat(test.clock().instant()).isEqualTo(before);
            ProrchAssertions.assertThat(root).isCompensated();
            ProrchAssertions.assertThat(root).step("TestRoot").isCompensated();
            assertThat(root.metadata()).containsEntry("total", 30L).containsEntry("undone", true);
            assertThat(root.lastError()).isEqualTo("Step \"TestRefuse\" failed: refused; compensated");
        }
    }
}
