package io.prorch.examples.kafka;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.kafka.KafkaCommands;
import io.prorch.kafka.KafkaMessage;
import io.prorch.kafka.PipelineRequest;
import io.prorch.kafka.ReplyListener;
import io.prorch.kafka.TopicStarter;
import io.prorch.repository.IRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The orchestrator process of the example: prorch with its Kafka ends (a {@link TopicStarter} on the event topics, a
 * {@link ReplyListener} on its reply topic, the commands' producer). {@code version} is the workflow logic of the
 * seed's examples (1: security; 2: security with reporting; 3: and unit events); a {@link Role} other than
 * {@code ALL} limits it to one workflow, so that two such processes own independent workflows.
 */
public final class SecurityOrchestrator implements AutoCloseable {
    /** Which workflows a process owns. */
    public enum Role {
        /** every workflow of its version */
        ALL,
        /** the security workflow only */
        SECURITY,
        /** the unit-event workflow only (version 3) */
        UNIT
    }

    private final KafkaCommands commands;
    private final Orchestrator orchestrator;
    private final ReplyListener replies;
    private final TopicStarter starter;

    /**
     * Starts the orchestrator and its consumers.
     *
     * @param claimDuration how soon another process takes over the pipelines of one that died
     */
    public SecurityOrchestrator(String bootstrap, IRepository repository, int version, Role role,
                                Duration claimDuration) {
        String replyTopic = role == Role.UNIT ? Topics.UNIT_REPLIES : Topics.SECURITY_REPLIES;
        String group = "orchestrator" + (role == Role.ALL ? "" : "-" + role.name().toLowerCase());
        this.commands = KafkaCommands.builder().bootstrapServers(bootstrap).replyTopic(replyTopic).build();
        OrchestratorConfig.Builder config = OrchestratorConfig.builder().repository(repository)
                .stepFactory(commands.stepFactory()).claimDuration(claimDuration).workerThreads(8)
                .register(version == 1 ? Workflows.SecurityV1.class : Workflows.SecurityV2.class);
        List<String> topics = new ArrayList<>();
        if (role != Role.UNIT) {
            topics.add(Topics.DETECTIONS);
        }
        if (version >= 3) {
            config.register(Workflows.UnitEvent.class);
            if (role != Role.SECURITY) {
                topics.add(Topics.UNIT_EVENTS);
            }
        }
        if (role != Role.ALL) {
            config.onlyPipelines(role == Role.SECURITY ? Workflows.SECURITY : Workflows.UNIT_EVENT);
        }
        this.orchestrator = new Orchestrator(config.build());
        orchestrator.startPolling(Duration.ofMillis(200));
        this.replies = commands.replyListener(orchestrator, group).deadLetterTopic(Topics.DEAD_LETTERS).build();
        replies.start();
        this.starter = TopicStarter.builder(orchestrator).bootstrapServers(bootstrap).groupId(group)
                .topics(topics.toArray(String[]::new)).router(SecurityOrchestrator::route)
                .deadLetterTopic(Topics.DEAD_LETTERS).build();
        starter.start();
    }

    /** Detections start the security workflow, unit events the unit-event workflow. */
    private static Optional<PipelineRequest> route(KafkaMessage message) {
        String pipeline = message.topic().equals(Topics.UNIT_EVENTS) ? Workflows.UNIT_EVENT : Workflows.SECURITY;
        return Optional.of(new PipelineRequest(pipeline, message.json()));
    }

    /** @return the orchestrator, for queries */
    public Orchestrator orchestrator() {
        return orchestrator;
    }

    /** @return how many messages started a pipeline in this process */
    public long started() {
        return starter.started();
    }

    /** Stops the consumers, then the orchestrator (its runs in flight finish their turn), then the producer. */
    @Override
    public void close() {
        starter.close();
        replies.close();
        orchestrator.close();
        commands.close();
    }
}
