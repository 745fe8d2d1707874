package io.prorch.services;

import io.prorch.ProrchException;
import java.util.List;

/** A service or workflow definition that cannot be registered; the message lists every problem, one a line. */
public final class DefinitionException extends ProrchException {
    private final List<String> problems;

    /** @param problems every problem found, each naming the definition and the field at fault; not empty */
    public DefinitionException(List<String> problems) {
        super("Invalid definition (" + problems.size() + (problems.size() == 1 ? " problem):" : " problems):")
                + String.join("", problems.stream().map(p -> "\n  - " + p).toList()));
        this.problems = List.copyOf(problems);
    }

    /** @return every problem found, in the order found */
    public List<String> problems() {
        return problems;
    }
}
