package io.prorch.kafka;

import static java.util.Objects.requireNonNull;

import io.prorch.Metadata;
import io.prorch.OnContinue;
import io.prorch.OnStart;
import io.prorch.Signal;
import io.prorch.StepContext;
import java.time.Duration;
import java.util.Optional;

/**
 * A step that sends a command to a service over Kafka, after its transition committed, and finishes (one-way) or
 * waits for the service's reply, which comes back as a signal ({@link ReplyListener}).
 *
 * <pre>{@code
 * @Step(name = "NotifySecurity")
 * public class NotifySecurity extends CommandStep {
 *     protected Command command(StepContext ctx) {
 *         return Command.request("sec_command", ctx.pipelineMetadata().asMap(), Duration.ofSeconds(30));
 *     }
 * }
 * }</pre>
 *
 * <p>How it goes: {@code onStart} calls {@link #command} and saves the command in the step's metadata, without
 * sending it; once that is committed, {@code onContinue} sends it (key = pipeline id; headers {@link KafkaHeaders})
 * and waits up to the send timeout for the broker's acknowledgement, then saves "sent" with the step's next
 * decision. A crash between the commit and that save sends the command again: <b>at least once</b>, always with the
 * same {@link KafkaHeaders#IDEMPOTENCY_KEY}, so services drop what they have seen. A failed send throws and is
 * retried per the step's retry policy. A reply wakes the step and {@link #onReply} decides; none within the reply
 * timeout calls {@link #onNoReply}.
 *
 * <p>Instances come from {@link KafkaCommands#stepFactory()}, which hands them the producer; the class needs a public
 * no-arg constructor (or the factory given to {@link KafkaCommands#stepFactory(io.prorch.StepFactory)}).
 */
public abstract class CommandStep implements OnStart, OnContinue {
    static final String TOPIC = "command.topic";
    static final String PAYLOAD = "command.payload";
    static final String REPLY_TIMEOUT_MILLIS = "command.replyTimeoutMillis";
    static final String SENT_AT = "command.sentAt";

    private volatile KafkaCommands commands;

    /** For subclasses. */
    protected CommandStep() {
    }

    /**
     * @param stepName a step's name
     * @return the name of the signal a reply to that step's command arrives as: {@code "reply:" + stepName}
     */
    public static String replySignal(String stepName) {
        return "reply:" + requireNonNull(stepName, "stepName");
    }

    /**
     * The command to send; called once per entry into the step (again only if this hook's result was not saved).
     *
     * @param ctx the step's context; pipeline metadata holds the start input
     * @return the command, not null
     * @throws Exception anything; the attempt counts as failed and is retried
     */
    protected abstract Command command(StepContext ctx) throws Exception;

    /**
     * Decides on the service's reply. The default copies the reply's payload into the pipeline's metadata under the
     * step's name and finishes the step.
     *
     * @param ctx the step's context
     * @param reply the reply, as a signal (payload = the reply's JSON object)
     * @throws Exception anything; the attempt counts as failed and is retried (the reply stays until read)
     */
    protected void onReply(StepContext ctx, Signal reply) throws Exception {
        ctx.pipelineMetadata().put(ctx.stepName(), reply.payload());
        ctx.finish();
    }

    /**
     * Decides when no reply came within the reply timeout. The default fails the step (and its pipeline).
     *
     * @param ctx the step's context
     * @param timeout the reply timeout that passed
     * @throws Exception anything; the attempt counts as failed and is retried
     */
    protected void onNoReply(StepContext ctx, Duration timeout) throws Exception {
        ctx.fail("no reply to the command sent to " + ctx.metadata().getString(TOPIC) + " within " + timeout);
    }

    /** Saves the command; it is sent by {@code onContinue}, after this transition commits. */
    @Override
    public final void onStart(StepContext ctx) throws Exception {
        Command command = command(ctx);
        if (command == null) {
            throw new IllegalStateException(getClass().getName() + ".command(ctx) returned null; return a Command");
        }
        Metadata meta = ctx.metadata();
        meta.put(TOPIC, command.topic());
        meta.put(PAYLOAD, command.payload());
        meta.put(REPLY_TIMEOUT_MILLIS, command.expectsReply() ? command.replyTimeout().toMillis() : null);
        meta.remove(SENT_AT);
        // no decision: the step is saved as pending and onContinue runs right after the commit
    }

    /** Sends the saved command if it was not sent yet; else reads the reply, or the timeout. */
    @Override
    public final void onContinue(StepContext ctx) throws Exception {
        Metadata meta = ctx.metadata();
        Optional<Duration> replyTimeout = meta.get(REPLY_TIMEOUT_MILLIS).map(v -> Duration.ofMillis(
                ((Number) v).longValue()));
        String signal = replySignal(ctx.stepName());
        if (!meta.contains(SENT_AT)) {
            bound().send(ctx, meta.getString(TOPIC), meta.getMap(PAYLOAD), replyTimeout.isPresent());
            meta.put(SENT_AT, ctx.now().toString());
            if (replyTimeout.isEmpty()) {
                ctx.finish();
            } else {
                ctx.awaitSignal(signal, replyTimeout.get());
            }
            return;
        }
        Optional<Signal> reply = ctx.signal(signal);
        if (reply.isPresent()) {
            onReply(ctx, reply.get());
        } else if (replyTimeout.isPresent() && ctx.signalTimedOut(signal)) {
            onNoReply(ctx, replyTimeout.get());
        }
        // else woken early: the step keeps waiting until its deadline
    }

    void bind(KafkaCommands commands) {
        this.commands = commands;
    }

    private KafkaCommands bound() {
        KafkaCommands bound = commands;
        if (bound == null) {
            throw new IllegalStateException(getClass().getName() + " was created without KafkaCommands, so it cannot"
                    + " send: set OrchestratorConfig.builder().stepFactory(kafkaCommands.stepFactory())");
        }
        return bound;
    }
}
