package io.prorch.jdbc.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The text PostgreSQL reads instants and array elements from; {@code PostgresJdbcRepositoryTest} reads it back. */
class PgTextTest {
    @Test
    void instantsAreWrittenInIsoAndParseBackToThemselves() {
        SplittableRandom random = new SplittableRandom(20261201);
        for (int i = 0; i < 100_000; i++) {
            long second = random.nextLong(PgText.MIN_SECOND, PgText.MAX_SECOND + 1);
            int nano = switch (i % 3) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant value = Instant.ofEpochSecond(second, nano);
            assertThat(Instant.parse(PgText.instant(value))).as("%s", value).isEqualTo(value);
        }
    }

    @Test
    void threadsWritingInstantsOfDifferentDaysAtOnceEachGetTheirOwnDate() throws Exception {
        Instant today = Instant.parse("2026-12-07T07:00:00Z");
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    Instant value = today.plusSeconds(86_400L * ((i + offset) % 3) + i);
                    if (!Instant.parse(PgText.instant(value)).equals(value)) {
                        wrong.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(wrong.get()).isZero();
    }

    @Test
    void instantsKeepTheirFormAtTheEdges() {
        assertThat(PgText.instant(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(PgText.instant(Instant.parse("1969-12-31T23:59:59.999999Z"))).isEqualTo("1969-12-31T23:59:59.999999Z");
        assertThat(PgText.instant(Instant.parse("0001-01-01T00:00:00Z"))).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(PgText.instant(Instant.parse("9999-12-31T23:59:59.999999999Z")))
                .isEqualTo("9999-12-31T23:59:59.999999999Z");
        assertThat(PgText.instant(Instant.parse("2026-12-01T15:04:05.000001Z"))).isEqualTo("2026-12-01T15:04:05.000001Z");
        assertThat(PgText.instant(Instant.parse("2026-12-01T15:04:05.100Z"))).isEqualTo("2026-12-01T15:04:05.100000Z");
        assertThat(PgText.instant(Instant.parse("2026-12-01T15:04:05.000000001Z")))
                .isEqualTo("2026-12-01T15:04:05.000000001Z");
    }

    @Test
    void instantsOutsideTheYearsOneToNineThousandNineHundredNinetyNineAreRefused() {
        Instant before = Instant.ofEpochSecond(PgText.MIN_SECOND - 1);
        Instant after = Instant.ofEpochSecond(PgText.MAX_SECOND + 1);
        assertThat(PgText.writable(before)).isFalse();
        assertThat(PgText.writable(after)).isFalse();
        assertThat(PgText.writable(Instant.ofEpochSecond(PgText.MIN_SECOND))).isTrue();
        assertThat(PgText.writable(Instant.ofEpochSecond(PgText.MAX_SECOND, 999_999_999))).isTrue();
        assertThatThrownBy(() -> PgText.instant(after)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("years 1 to 9999").hasMessageContaining("+10000");
    }

    @Test
    void arrayElementsAreQuotedWithQuotesAndBackslashesEscaped() {
        StringBuilder literal = new StringBuilder("{");
        PgText.appendElement(literal, "plain");
        literal.append(',');
        PgText.appendElement(literal, null);
        literal.append(',');
        PgText.appendElement(literal, "NULL");
        literal.append(',');
        PgText.appendElement(literal, "a \"quote\", a \\ {brace} ");
        literal.append(',');
        PgText.appendElement(literal, "");
        assertThat(literal.append('}')).hasToString("{\"plain\",NULL,\"NULL\",\"a \\\"quote\\\", a \\\\ {brace} \",\"\"}");
    }
}
