package io.prorch.internal.engine;

import org.slf4j.MDC;

/**
 * The SLF4J MDC keys set around every hook call, so that the user's own log lines carry the pipeline, the step and
 * the attempt: {@value #PIPELINE}, {@value #STEP}, {@value #ATTEMPT}.
 */
final class Mdc {
    static final String PIPELINE = "prorch.pipeline";
    static final String STEP = "prorch.step";
    static final String ATTEMPT = "prorch.attempt";

    private Mdc() {
    }

    static void enter(RunState run) {
        MDC.put(PIPELINE, run.pipeline().id().toString());
        MDC.put(STEP, run.step().name());
        MDC.put(ATTEMPT, Integer.toString(run.step().attempts() + 1));
    }

    static void leave() {
        MDC.remove(PIPELINE);
        MDC.remove(STEP);
        MDC.remove(ATTEMPT);
    }
}
