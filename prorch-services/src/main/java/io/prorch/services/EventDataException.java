package io.prorch.services;

import io.prorch.ProrchException;
import java.util.List;

/** Event data that does not match its workflow's inputs; nothing was started. */
public final class EventDataException extends ProrchException {
    private final List<String> fieldErrors;

    /** @param fieldErrors one sentence per field at fault, naming it; not empty */
    public EventDataException(List<String> fieldErrors) {
        super("Event data does not match the workflow's inputs (" + fieldErrors.size() + " error"
                + (fieldErrors.size() == 1 ? "):" : "s):") + String.join("", fieldErrors.stream()
                .map(p -> "\n  - " + p).toList()));
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    /** @return every field error, in the order of the workflow's inputs */
    public List<String> fieldErrors() {
        return fieldErrors;
    }
}
