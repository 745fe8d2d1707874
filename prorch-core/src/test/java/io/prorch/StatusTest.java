package io.prorch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The stored values of statuses and their parsing. */
class StatusTest {
    @Test
    void everyStatusParsesBackFromItsStoredValue() {
        for (Status status : Status.values()) {
            assertThat(status.value()).isEqualTo(status.name().toLowerCase(java.util.Locale.ROOT));
            assertThat(Status.fromValue(status.value())).isSameAs(status);
        }
    }

    @Test
    void storedValuesAreReadWhateverTheirCaseAndSurroundingSpaces() {
        assertThat(Status.fromValue("PENDING")).isSameAs(Status.PENDING);
        assertThat(Status.fromValue(" Finished ")).isSameAs(Status.FINISHED);
    }

    @Test
    void anUnknownOrNullValueIsRefusedByName() {
        assertThatThrownBy(() -> Status.fromValue("paused")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"paused\"").hasMessageContaining("compensated");
        assertThatThrownBy(() -> Status.fromValue("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Status.fromValue(null)).isInstanceOf(NullPointerException.class);
    }
}
