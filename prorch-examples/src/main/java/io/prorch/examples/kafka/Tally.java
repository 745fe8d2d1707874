package io.prorch.examples.kafka;

import io.prorch.Orchestrator;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.StepView;
import io.prorch.repository.IRepository;
import io.prorch.repository.Model;
import io.prorch.repository.PipelineRecord;
import io.prorch.repository.SearchField;
import io.prorch.repository.SearchFilter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks the outcome end to end: every event produced has exactly one pipeline, which finished, and every service its
 * workflow commanded acted on the event exactly once.
 *
 * @param lost events without a finished pipeline, plus commands of finished pipelines no service acted on
 * @param duplicates events with more than one pipeline, plus events a service acted on more than once
 * @param finished per workflow: how many pipelines finished, by their number of steps
 */
public record Tally(int lost, int duplicates, Map<String, Map<Integer, Integer>> finished) {
    /** Which service carries out which step. */
    private static final Map<String, String> SERVICE_OF_STEP = Map.of("SecurityCommand", "Security",
            "NotificationCommand", "Notification", "ReportCommand", "Reporting", "UnitCommand", "Unit");

    /**
     * @param produced per workflow name, the ids of the events produced for it
     * @param services the services, by name
     */
    public static Tally of(IRepository repository, Orchestrator orchestrator, Map<String, List<String>> produced,
                           Map<String, Service> services) {
        int lost = 0;
        int duplicates = services.values().stream().mapToInt(Service::duplicates).sum();
        Map<String, Map<Integer, Integer>> finished = new TreeMap<>();
        for (var workflow : produced.entrySet()) {
            Map<String, Integer> pipelinesPerEvent = new HashMap<>();
            Map<Integer, Integer> bySteps = finished.computeIfAbsent(workflow.getKey(), k -> new TreeMap<>());
            for (PipelineRecord p : repository.search(Model.PIPELINE, SearchFilter.all()
                    .where(SearchField.NAME, workflow.getKey()))) {
                String id = String.valueOf(p.metadata().get("id"));
                pipelinesPerEvent.merge(id, 1, Integer::sum);
                PipelineView view = orchestrator.find(p.id()).orElseThrow();
                if (view.status() != Status.FINISHED) {
                    continue;
                }
                bySteps.merge(view.steps().size(), 1, Integer::sum);
                for (StepView step : view.steps()) {
                    if (services.get(SERVICE_OF_STEP.get(step.name())).effects(id) == 0) {
                        lost++;
                    }
                }
            }
            for (String id : workflow.getValue()) {
                int pipelines = pipelinesPerEvent.getOrDefault(id, 0);
                duplicates += Math.max(0, pipelines - 1);
            }
            int finishedCount = bySteps.values().stream().mapToInt(Integer::intValue).sum();
            lost += Math.max(0, workflow.getValue().size() - finishedCount);
        }
        return new Tally(lost, duplicates, finished);
    }

    /**
     * Waits until the tally is complete (nothing lost) or {@code timeout} passed.
     *
     * @return the last tally taken
     */
    public static Tally await(Duration timeout, IRepository repository, Orchestrator orchestrator,
                              Map<String, List<String>> produced, Map<String, Service> services)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Tally tally = of(repository, orchestrator, produced, services);
        while (tally.lost() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            tally = of(repository, orchestrator, produced, services);
        }
        return tally;
    }

    /** @return how many pipelines of {@code workflow} finished */
    public int finished(String workflow) {
        return finished.getOrDefault(workflow, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
    }
}
