package io.prorch.examples.travel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The travel example end to end on H2: the car fails, the hotel and then the flight are cancelled. */
class TravelMainTest {
    @Test
    @Timeout(60)
    void theCarFailsAndTheHotelAndFlightAreCancelledInReverseOrder() throws Exception {
        assertThat(TravelMain.run(null)).isTrue();
        assertThat(TripSteps.DONE).containsExactly("booked flight FL-LISBON", "booked hotel HT-3N",
                "no car left in Lisbon", "cancelled hotel HT-3N", "cancelled flight FL-LISBON");
    }
}
