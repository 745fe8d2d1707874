package io.prorch;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The child pipelines a step started ({@link StepContext#startChild}), as {@link StepContext#children()} reads them:
 * each one's status, metadata and error, in the order they were started.
 *
 * @param all every child, in start order (a child deleted from the store is left out)
 * @param timedOut true if the step waited for them ({@link StepContext#awaitChildren}) and the wait's timeout passed
 *     before enough had ended
 */
public record Children(List<Child> all, boolean timedOut) {

    /** Copies {@code all}. */
    public Children {
        all = List.copyOf(all);
    }

    /**
     * One child pipeline.
     *
     * @param id its id
     * @param name its {@code @Pipeline} name
     * @param status its status
     * @param metadata its pipeline metadata (unmodifiable): what its steps left for the parent
     * @param lastError its error or reason, or null
     */
    public record Child(UUID id, String name, Status status, Map<String, Object> metadata, String lastError) {
    }

    /** @return the children that ended, whatever the outcome */
    public List<Child> ended() {
        return all.stream().filter(c -> c.status().isTerminal()).toList();
    }

    /** @return the children that finished */
    public List<Child> finished() {
        return all.stream().filter(c -> c.status() == Status.FINISHED).toList();
    }

    /** @return the children that ended without finishing: failed, cancelled or compensated */
    public List<Child> unsuccessful() {
        return all.stream().filter(c -> c.status().isTerminal() && c.status() != Status.FINISHED).toList();
    }

    /** @return the children still running */
    public List<Child> running() {
        return all.stream().filter(c -> !c.status().isTerminal()).toList();
    }
}
