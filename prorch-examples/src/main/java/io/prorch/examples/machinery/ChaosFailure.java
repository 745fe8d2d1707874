package io.prorch.examples.machinery;

/** Why a chaos run stopped before its end: the message names the event or the process it was waiting for. */
final class ChaosFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ChaosFailure(String message) {
        super(message);
    }
}
