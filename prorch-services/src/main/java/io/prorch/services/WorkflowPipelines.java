package io.prorch.services;

import io.prorch.PipelineDefinition;
import io.prorch.PipelineView;
import io.prorch.RetryPolicy;
import io.prorch.Status;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How a workflow becomes a pipeline, and a pipeline's view an {@link Event}: pure, no registry state. */
final class WorkflowPipelines {
    private WorkflowPipelines() {
    }

    /**
     * @param services the registered services, holding every one the workflow calls
     * @return the pipeline the workflow becomes: one step per call (a service called again is named {@code name#n}),
     *     versioned by the content of the workflow and its services
     */
    static PipelineDefinition pipeline(WorkflowDefinition workflow, Map<String, ServiceDefinition> services,
                                       CallSettings settings, RetryPolicy retryPolicy) {
        List<ServiceDefinition> called = workflow.services().stream().map(services::get).toList();
        PipelineDefinition.Builder pipeline = PipelineDefinition.builder(workflow.name())
                .version(DefinitionFiles.version(workflow, services));
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < called.size(); i++) {
            ServiceDefinition service = called.get(i);
            int n = seen.merge(service.name(), 1, Integer::sum);
            ServiceCall hooks = new ServiceCall(service, i == called.size() - 1 ? workflow.outputs() : null, settings);
            pipeline.step(new PipelineDefinition.StepSpec(n == 1 ? service.name() : service.name() + "#" + n, hooks,
                    retryPolicy, settings.readTimeout().plusSeconds(5)));
        }
        return pipeline.build();
    }

    /** @return the event a workflow's pipeline is: its outputs once finished, its error once failed or cancelled */
    static Event event(PipelineView v, Instant now) {
        return new Event(v.id(), v.name(), now, v.status(),
                v.status() == Status.FINISHED && v.metadata().get(ServiceCall.OUTPUTS) instanceof Map<?, ?> out
                        ? castMap(out) : Map.of(),
                v.status() == Status.FAILED || v.status() == Status.CANCELLED ? v.lastError() : null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
