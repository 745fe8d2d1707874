package io.prorch.internal.engine;

/** The two hooks of a step. */
enum Hook {
    ON_START("onStart"),
    ON_CONTINUE("onContinue");

    private final String methodName;

    Hook(String methodName) {
        this.methodName = methodName;
    }

    /** @return the hook's method name, for messages */
    String methodName() {
        return methodName;
    }
}
