package io.prorch.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Stored errors are bounded and survive throwables that misbehave. */
class ErrorSummaryTest {

    @Test
    void rendersTypeMessageFramesAndCauses() {
        String summary = ErrorSummary.of(new IllegalStateException("outer", new IOException("inner")));

        assertThat(summary).startsWith("java.lang.IllegalStateException: outer\n\tat ")
                .contains("Caused by: java.io.IOException: inner");
    }

    @Test
    void survivesAMessageThatThrowsACyclicCauseAndAHugeMessage() {
        Exception nasty = new Exception() {
            @Override
            public String getMessage() {
                throw new UnsupportedOperationException("no message for you");
            }

            @Override
            public String toString() {
                throw new UnsupportedOperationException("no toString either");
            }
        };
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);
        RuntimeException huge = new RuntimeException("x".repeat(1_000_000), a);

        assertThat(ErrorSummary.of(nasty)).contains("<getMessage() threw java.lang.UnsupportedOperationException>");
        assertThat(ErrorSummary.of(a)).contains("java.lang.Exception: a").contains("Caused by: java.lang.Exception: b");
        assertThat(ErrorSummary.of(huge)).hasSizeLessThanOrEqualTo(ErrorSummary.MAX_LENGTH);
        assertThat(ErrorSummary.headline(huge)).hasSizeLessThan(1100);
    }

    @Test
    void makesTextStorableAndNeverCutsASurrogatePair() {
        assertThat(ErrorSummary.truncate("a\u0000b\ud800c", 100)).isEqualTo("a\\0b\uFFFDc");
        assertThat(ErrorSummary.truncate("ok 🙂 fine", 100)).isEqualTo("ok 🙂 fine");
        String cutAtPair = "abcd🙂xyz";   // the emoji occupies indexes 4 and 5
        assertThat(ErrorSummary.truncate(cutAtPair, 8)).isEqualTo("abcd...");
        assertThat(ErrorSummary.truncate("abcd🙂wxyz", 9)).isEqualTo("abcd🙂...");
    }
}
