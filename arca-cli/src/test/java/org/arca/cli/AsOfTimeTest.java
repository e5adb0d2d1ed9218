package org.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The three forms of {@code --as-of} and the message for anything else. */
class AsOfTimeTest {

    private static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");

    @Test
    void instantIsTakenAsIs() throws Exception {
        assertThat(AsOfTime.parse("2026-12-04T22:10:00.123Z", ZURICH))
                .isEqualTo(Instant.parse("2026-12-04T22:10:00.123Z"));
    }

    @Test
    void offsetOverridesZone() throws Exception {
        assertThat(AsOfTime.parse("2026-12-04T23:10:00-05:00", ZURICH))
                .isEqualTo(Instant.parse("2026-12-05T04:10:00Z"));
    }

    @Test
    void localTimeUsesZone() throws Exception {
        assertThat(AsOfTime.parse("2026-12-04T23:10:00", ZURICH)).isEqualTo(Instant.parse("2026-12-04T22:10:00Z"));
        assertThat(AsOfTime.parse("2026-07-04T23:10:00", ZURICH)).as("summer time")
                .isEqualTo(Instant.parse("2026-07-04T21:10:00Z"));
    }

    @Test
    void invalidTimeNamesZone() {
        assertThatThrownBy(() -> AsOfTime.parse("yesterday", ZURICH))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("'yesterday'")
                .hasMessageContaining("Europe/Zurich");
    }
}
