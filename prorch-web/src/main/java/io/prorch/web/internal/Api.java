package io.prorch.web.internal;

import io.prorch.PipelineCounts;
import io.prorch.PipelineDefinitionView;
import io.prorch.PipelinePage;
import io.prorch.PipelineSummary;
import io.prorch.PipelineView;
import io.prorch.Status;
import io.prorch.StepView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the API: plain maps with ISO-8601 instants and lower-case statuses. */
final class Api {
    private Api() {
    }

    static Map<String, Object> page(PipelinePage page) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("items", page.items().stream().map(Api::row).toList());
        json.put("next", page.nextCursor());
        return json;
    }

    static Map<String, Object> row(PipelineSummary r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", r.id().toString());
        json.put("name", r.name());
        json.put("businessKey", r.businessKey());
        json.put("status", r.status().value());
        json.put("currentStep", r.currentStep());
        json.put("lastError", r.lastError());
        json.put("createdAt", text(r.createdAt()));
        json.put("updatedAt", text(r.updatedAt()));
        json.put("version", r.version());
        return json;
    }

    static Map<String, Object> pipeline(PipelineView p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", p.id().toString());
        json.put("name", p.name());
        json.put("status", p.status().value());
        json.put("currentStep", p.currentStep());
        json.put("version", p.version());
        json.put("createdAt", text(p.createdAt()));
        json.put("updatedAt", text(p.updatedAt()));
        json.put("dueAt", text(p.dueAt()));
        json.put("claimOwner", p.claimOwner());
        json.put("lastError", p.lastError());
        json.put("metadata", p.metadata());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (StepView s : p.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("name", s.name());
            step.put("position", s.position());
            step.put("status", s.status().value());
            step.put("attempts", s.attempts());
            step.put("lastError", s.lastError());
            step.put("metadata", s.metadata());
            step.put("createdAt", text(s.createdAt()));
            step.put("updatedAt", text(s.updatedAt()));
            steps.add(step);
        }
        json.put("steps", steps);
        return json;
    }

    static Map<String, Object> counts(PipelineCounts counts) {
        Map<String, Object> byName = new LinkedHashMap<>();
        counts.byName().forEach((name, byStatus) -> byName.put(name, statuses(byStatus)));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("byStatus", statuses(counts.byStatus()));
        json.put("byName", byName);
        json.put("estimated", counts.estimated());
        return json;
    }

    static List<Map<String, Object>> definitions(List<PipelineDefinitionView> definitions) {
        return definitions.stream().map(d -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", d.name());
            json.put("type", d.type());
            json.put("steps", d.steps());
            return json;
        }).toList();
    }

    static Map<String, Object> error(int status, String message) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", status);
        json.put("error", message);
        return json;
    }

    /** Every status with its count, zeros included, so clients need not guess missing keys. */
    private static Map<String, Long> statuses(Map<Status, Long> counts) {
        Map<String, Long> json = new LinkedHashMap<>();
        for (Status s : Status.values()) {
            json.put(s.value(), counts.getOrDefault(s, 0L));
        }
        return json;
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
