package io.prorch.jdbc.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.prorch.repository.SignalNotice;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The payloads of PostgreSQL's signal notices: ours are read whole, an older writer's without a name, others dropped. */
class SignalNoticesTest {
    private static final UUID ID = UUID.fromString("0b6c2a3e-5d4f-4c1b-9a7e-2f3d4c5b6a79");

    @Test
    void aPayloadCarriesThePipelineAndTheWholeNameColonsIncluded() {
        assertThat(SignalNotices.parse(ID + ":approved")).isEqualTo(new SignalNotice(ID, "approved"));
        assertThat(SignalNotices.parse(ID + ":a:b c")).isEqualTo(new SignalNotice(ID, "a:b c"));
    }

    @Test
    void aPayloadOfAnIdAloneIsANoticeWithoutAName() {
        assertThat(SignalNotices.parse(ID.toString())).isEqualTo(new SignalNotice(ID, null));
        assertThat(SignalNotices.parse(ID + ":")).isEqualTo(new SignalNotice(ID, null));
    }

    @Test
    void someoneElsesPayloadsAreNotNotices() {
        assertThat(SignalNotices.parse(null)).isNull();
        assertThat(SignalNotices.parse("")).isNull();
        assertThat(SignalNotices.parse("hello")).isNull();
        assertThat(SignalNotices.parse(ID + "x")).isNull();
        assertThat(SignalNotices.parse("not-a-uuid-but-thirty-six-characters:go")).isNull();
    }
}
