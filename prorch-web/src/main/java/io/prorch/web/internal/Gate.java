package io.prorch.web.internal;

import java.util.UUID;

/** The host's decision on one operator action, bound to the request that asks for it. */
@FunctionalInterface
public interface Gate {
    /**
     * @param action the action's path name: {@code retry}, {@code resume}, {@code cancel}, {@code restart-from}
     * @param pipelineId the pipeline it applies to
     * @return true to let it run
     */
    boolean permits(String action, UUID pipelineId);
}
