package io.prorch.internal.engine;

/** The hooks of a step. */
enum Hook {
    ON_START("onStart"),
    ON_CONTINUE("onContinue"),
    ON_COMPENSATE("onCompensate");

    private final String methodName;

    Hook(String methodName) {
        this.methodName = methodName;
    }

    /** @return the hook's method name, for messages */
    String methodName() {
        return methodName;
    }
}
