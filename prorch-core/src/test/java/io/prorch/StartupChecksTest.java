package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.prorch.test.ForwardingRepository;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An orchestrator says at start which of its settings are unsafe together, naming the values and the fix. */
class StartupChecksTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Orchestrator.class);

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    private static ForwardingRepository poolOf(int connections) {
        return new ForwardingRepository() {
            @Override
            public OptionalInt connectionLimit() {
                return OptionalInt.of(connections);
            }
        };
    }

    private List<String> warningsOf(OrchestratorConfig.Builder config) {
        try (Orchestrator ignored = new Orchestrator(config.register(DecisionTest.Simple.class).build())) {
            return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Test
    void aPoolTooSmallForTheWorkersAndAShortClaimAreNamed() {
        List<String> warnings = warningsOf(OrchestratorConfig.builder().repository(poolOf(4)).workerThreads(4)
                .claimDuration(Duration.ofMillis(500)));

        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).contains("pool has 4 connection(s) for workerThreads=4")
                .contains("at least 6 connections");
        assertThat(warnings.get(1)).contains("claimDuration is PT0.5S");
    }

    @Test
    void enoughConnectionsAndTheDefaultsSayNothing() {
        assertThat(warningsOf(OrchestratorConfig.builder().repository(poolOf(6)).workerThreads(4))).isEmpty();
        assertThat(warningsOf(OrchestratorConfig.builder().repository(new ForwardingRepository()))).isEmpty();
    }
}
