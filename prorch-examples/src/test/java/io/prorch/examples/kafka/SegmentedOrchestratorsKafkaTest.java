package io.prorch.examples.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.Orchestrator;
import io.prorch.OrchestratorConfig;
import io.prorch.Status;
import io.prorch.examples.kafka.SecurityOrchestrator.Role;
import io.prorch.kafka.test.EmbeddedKafka;
import io.prorch.repository.InMemoryRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's recommended practice: two orchestrators, each limited to its workflow, over one store. Stopping the
 * unit-event orchestrator leaves the security workflow running; unit events wait in their topic until it is back.
 */
class SegmentedOrchestratorsKafkaTest {

    @Test
    @Timeout(300)
    void eachOrchestratorOwnsItsWorkflowAndARestartOfOneLeavesTheOtherRunning() throws Exception {
        InMemoryRepository store = InMemoryRepository.create();
        Map<String, Service> services = new LinkedHashMap<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             Orchestrator reader = new Orchestrator(OrchestratorConfig.builder().repository(store)
                     .register(Workflows.SecurityV2.class, Workflows.UnitEvent.class).workerThreads(1)
                     .build())) {
            String bootstrap = kafka.bootstrapServers();
            kafka.createTopics(2, Topics.all().toArray(String[]::new));
            services.put("Security", new Service("Security", bootstrap, Topics.SECURITY, c -> Map.of("verdict", "ok")));
            services.put("Notification", new Service("Notification", bootstrap, Topics.NOTIFICATION, c -> Map.of()));
            services.put("Reporting", new Service("Reporting", bootstrap, Topics.REPORTING, c -> Map.of()));
            services.put("Unit", new Service("Unit", bootstrap, Topics.UNIT, c -> Map.of("handled", true)));
            try (EventProducer detections = new EventProducer(bootstrap, Topics.DETECTIONS, "det-");
                 EventProducer units = new EventProducer(bootstrap, Topics.UNIT_EVENTS, "unit-");
                 SecurityOrchestrator security = new SecurityOrchestrator(bootstrap, store, 3, Role.SECURITY,
                         Duration.ofSeconds(3))) {
                SecurityOrchestrator unit = new SecurityOrchestrator(bootstrap, store, 3, Role.UNIT,
                        Duration.ofSeconds(3));
                detections.produce(10);
                units.produce(10);
                Map<String, List<String>> produced = Map.of(Workflows.SECURITY, detections.ids(),
                        Workflows.UNIT_EVENT, units.ids());
                Tally tally = Tally.await(Duration.ofMinutes(2), store, reader, produced, services);
                assertThat(tally.lost()).isZero();

                unit.close();
                detections.produce(10);
                units.produce(10);
                // a unit-event pipeline due in the store: the security orchestrator polls but must never claim it
                UUID waiting = reader.starter(Workflows.UNIT_EVENT).input(Map.of("id", "unit-direct", "detail", ""))
                        .inTransaction(store).start();
                Tally whileUnitIsDown = Tally.await(Duration.ofMinutes(2), store, reader,
                        Map.of(Workflows.SECURITY, detections.ids()), services);
                assertThat(whileUnitIsDown.lost()).as("security workflows while the unit orchestrator is down")
                        .isZero();
                assertThat(Tally.of(store, reader, Map.of(Workflows.UNIT_EVENT, units.ids()), services)
                        .finished(Workflows.UNIT_EVENT)).isEqualTo(10);
                assertThat(reader.find(waiting).orElseThrow().steps().get(0).status()).isEqualTo(Status.CREATED);

                unit = new SecurityOrchestrator(bootstrap, store, 3, Role.UNIT, Duration.ofSeconds(3));
                List<String> unitIds = new ArrayList<>(units.ids());
                unitIds.add("unit-direct");
                Tally all = Tally.await(Duration.ofMinutes(2), store, reader, Map.of(Workflows.SECURITY,
                        detections.ids(), Workflows.UNIT_EVENT, unitIds), services);
                unit.close();

                assertThat(all.lost()).isZero();
                assertThat(all.duplicates()).isZero();
                assertThat(all.finished(Workflows.UNIT_EVENT)).isEqualTo(21);
            } finally {
                for (Service service : services.values()) {
                    service.close();
                }
            }
        }
    }
}
