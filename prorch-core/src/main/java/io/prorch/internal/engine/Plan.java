package io.prorch.internal.engine;

import io.prorch.internal.registry.StepDefinition;

/** What a run does next, as the {@link StepMachine} decides it from the run's committed records. */
sealed interface Plan {

    /** Call a hook of the current step, then ask {@link StepMachine#afterHook} what it means. */
    record CallHook(StepDefinition step, Hook hook) implements Plan {
    }

    /** Commit a move without calling a hook. */
    record Write(Move move) implements Plan {
    }

    /** End the turn without writing anything (the claim is no longer ours): the problem says why. */
    record Stop(String problem) implements Plan {
    }
}
