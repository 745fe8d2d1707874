package io.prorch.internal.engine;

import io.prorch.internal.registry.StepDefinition;
import io.prorch.repository.StepRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A step's deadline ({@code @Step(deadline)}): when the step was entered is kept in its metadata under the reserved key
 * {@value #KEY} (ISO-8601), written with its first saved hook result, only for steps that have a deadline. Pure.
 */
final class StepDeadline {
    /** The reserved metadata key. */
    static final String KEY = "_prorch.entered";

    private StepDeadline() {
    }

    /** @return {@code metadata} saying the step was entered at {@code now}, if it has a deadline; else as it is */
    static Map<String, Object> entered(StepDefinition definition, Map<String, Object> metadata, Instant now) {
        if (definition.deadline() == null) {
            return metadata;
        }
        Map<String, Object> copy = new LinkedHashMap<>(metadata);
        copy.put(KEY, now.toString());
        return copy;
    }

    /** @return when the step passes its deadline, or null if it has none (or was not entered yet) */
    static Instant at(StepDefinition definition, Map<String, Object> metadata) {
        Instant entered = enteredAt(metadata);
        return definition.deadline() == null || entered == null ? null : entered.plus(definition.deadline());
    }

    /** @return when the step was entered, or null if not recorded (no deadline, not entered, edited by hand) */
    static Instant enteredAt(Map<String, Object> metadata) {
        try {
            return metadata.get(KEY) instanceof String text ? Instant.parse(text) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** @return {@code due}, or the deadline if that comes first */
    static Instant capped(Instant due, Instant deadline) {
        return deadline != null && deadline.isBefore(due) ? deadline : due;
    }

    /** @return why {@code step} must end now, or null if it has no deadline or has not passed it */
    static String passed(StepDefinition definition, StepRecord step, Instant now) {
        Instant deadline = at(definition, step.metadata());
        return deadline == null || now.isBefore(deadline) ? null : "step \"" + step.name()
                + "\" passed its deadline of " + definition.deadline() + " (entered at "
                + enteredAt(step.metadata()) + ")";
    }
}
