package io.prorch.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rate arithmetic of {@link ClaimLimit}: bursts, spacing, slow rates, and no rate at all. */
class ClaimLimitTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aRateAllowsABurstThenOneClaimPerGap() {
        ClaimLimit four = new ClaimLimit("q", Set.of("A"), 0, 4);
        assertThat(four.allowedAt(null, T)).isEqualTo(4);
        Instant next = four.nextFreeAfter(null, T, 4);
        assertThat(next).isEqualTo(T.plusSeconds(1));
        assertThat(four.allowedAt(next, T)).isZero();
        assertThat(four.allowedAt(next, T.plusMillis(249))).isZero();
        assertThat(four.allowedAt(next, T.plusMillis(250))).isEqualTo(1);
        assertThat(four.allowedAt(next, T.plusMillis(500))).isEqualTo(2);
        assertThat(four.allowedAt(next, T.plusSeconds(10))).as("an idle queue earns one burst, not more")
                .isEqualTo(4);
        assertThat(four.nextFreeAfter(next, T.plusSeconds(10), 1)).isEqualTo(T.plusSeconds(10).plusMillis(250));
    }

    @Test
    void aSlowRateAllowsOneClaimPerInterval() {
        ClaimLimit slow = new ClaimLimit("q", Set.of("A"), 0, 0.5);
        assertThat(slow.allowedAt(null, T)).isEqualTo(1);
        Instant next = slow.nextFreeAfter(null, T, 1);
        assertThat(next).isEqualTo(T.plusSeconds(2));
        assertThat(slow.allowedAt(next, T.plusMillis(1999))).isZero();
        assertThat(slow.allowedAt(next, T.plusSeconds(2))).isEqualTo(1);
    }

    @Test
    void withoutARateEverythingIsAllowed() {
        ClaimLimit bound = new ClaimLimit("q", Set.of("A"), 3, 0);
        assertThat(bound.allowedAt(T.plusSeconds(100), T)).isEqualTo(Integer.MAX_VALUE);
        assertThat(bound.nextFreeAfter(null, T, 5)).isEqualTo(T);
    }
}
