package io.prorch;

import java.util.List;

/**
 * Thrown by {@link OrchestratorConfig.Builder#build()} when the configuration or the discovered pipeline and
 * step classes are invalid. The message lists every problem found, one per line; {@link #problems()} has them as
 * data.
 */
public final class ConfigurationException extends ProrchException {
    private final List<String> problems;

    /** @param problems every problem found, each naming the class or setting at fault; not empty */
    public ConfigurationException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /** @return every problem found, in the order found */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        StringBuilder text = new StringBuilder("Invalid prorch configuration (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        for (String problem : problems) {
            text.append("\n  - ").append(problem);
        }
        return text.toString();
    }
}
