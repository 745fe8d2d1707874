package io.prorch.examples.kafka;

import io.prorch.Pipeline;
import io.prorch.Step;
import io.prorch.StepContext;
import io.prorch.kafka.Command;
import io.prorch.kafka.CommandStep;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The orchestrator's workflow logic: the only code that changes between the seed's examples. Each step is a command
 * to one service; the services never learn about each other.
 */
public final class Workflows {
    /** The name both versions of the security workflow are stored under. */
    public static final String SECURITY = "SecurityWorkflow";
    /** The name of Example 3's workflow. */
    public static final String UNIT_EVENT = "UnitEventWorkflow";
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

    private Workflows() {
    }

    /** Example 1: the Security Service contains the detection and answers, then the Notification Service is told. */
    @Pipeline(name = SECURITY, steps = {SecurityCommand.class, NotificationCommand.class})
    public static class SecurityV1 {
    }

    /** Example 2: the same workflow, now also reported; only this line changed. */
    @Pipeline(name = SECURITY, steps = {SecurityCommand.class, NotificationCommand.class, ReportCommand.class})
    public static class SecurityV2 {
    }

    /** Example 3: unit events go to the Unit Service, then to the Reporting Service. */
    @Pipeline(name = UNIT_EVENT, steps = {UnitCommand.class, ReportCommand.class})
    public static class UnitEvent {
    }

    /** Asks the Security Service to act on the detection, and waits for its verdict. */
    @Step(name = "SecurityCommand")
    public static class SecurityCommand extends CommandStep {
        @Override
        protected Command command(StepContext ctx) {
            return Command.request(Topics.SECURITY, event(ctx), REPLY_TIMEOUT);
        }
    }

    /** Tells the Notification Service, with the Security Service's verdict; one-way. */
    @Step(name = "NotificationCommand")
    public static class NotificationCommand extends CommandStep {
        @Override
        protected Command command(StepContext ctx) {
            Map<String, Object> payload = event(ctx);
            payload.put("verdict", ctx.pipelineMetadata().getMap("SecurityCommand").get("verdict"));
            return Command.oneWay(Topics.NOTIFICATION, payload);
        }
    }

    /** Sends the event to the Reporting Service; one-way. */
    @Step(name = "ReportCommand")
    public static class ReportCommand extends CommandStep {
        @Override
        protected Command command(StepContext ctx) {
            Map<String, Object> payload = event(ctx);
            payload.put("workflow", ctx.pipelineName());
            return Command.oneWay(Topics.REPORTING, payload);
        }
    }

    /** Asks the Unit Service to handle a unit event, and waits for its answer. */
    @Step(name = "UnitCommand")
    public static class UnitCommand extends CommandStep {
        @Override
        protected Command command(StepContext ctx) {
            return Command.request(Topics.UNIT, event(ctx), REPLY_TIMEOUT);
        }
    }

    /** @return the event that started the pipeline: its id and what it said */
    private static Map<String, Object> event(StepContext ctx) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", ctx.pipelineMetadata().getString("id"));
        payload.put("detail", ctx.pipelineMetadata().getString("detail", ""));
        return payload;
    }
}
