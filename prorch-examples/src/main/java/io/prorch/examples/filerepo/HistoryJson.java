package io.prorch.examples.filerepo;

import io.prorch.Status;
import io.prorch.repository.HistoryRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The JSON form of a history entry in the file: a plain map, the instant as ISO-8601, absent fields as null. */
final class HistoryJson {
    private HistoryJson() {
    }

    static Map<String, Object> toJson(HistoryRecord h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uuid", h.id().toString());
        m.put("pipeline_uuid", h.pipelineId().toString());
        m.put("step_name", h.stepName());
        m.put("position", h.position());
        m.put("from_status", h.fromStatus() == null ? null : h.fromStatus().value());
        m.put("to_status", h.toStatus().value());
        m.put("attempt", h.attempt());
        m.put("orchestrator_id", h.orchestratorId());
        m.put("at", h.at().toString());
        m.put("error_type", h.errorType());
        m.put("error_message", h.errorMessage());
        m.put("error_stack", h.errorStack());
        m.put("signal", h.signal());
        m.put("action", h.action());
        m.put("actor", h.actor());
        m.put("reason", h.reason());
        return m;
    }

    static HistoryRecord from(Map<String, Object> m) {
        String from = (String) m.get("from_status");
        return new HistoryRecord(UUID.fromString((String) m.get("uuid")),
                UUID.fromString((String) m.get("pipeline_uuid")), (String) m.get("step_name"),
                ((Number) m.get("position")).intValue(), from == null ? null : Status.fromValue(from),
                Status.fromValue((String) m.get("to_status")), ((Number) m.get("attempt")).intValue(),
                (String) m.get("orchestrator_id"), Instant.parse((String) m.get("at")), (String) m.get("error_type"),
                (String) m.get("error_message"), (String) m.get("error_stack"), (String) m.get("signal"),
                (String) m.get("action"), (String) m.get("actor"), (String) m.get("reason"));
    }
}
