package org.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class AsOfTimeTest {

    private static final ZoneId ZURICH = ZoneId.of("Europe/Zurich");

    @Test
    void instantWithZ() throws CliException {
        AsOfTime time = AsOfTime.parse("2026-12-04T10:15:30Z", ZURICH);

        assertThat(time.instant()).isEqualTo(Instant.parse("2026-12-04T10:15:30Z"));
        assertThat(time.zone()).isNull();
    }

    @Test
    void instantWithOffset() throws CliException {
        AsOfTime time = AsOfTime.parse("2026-12-04T11:15:30+01:00", ZURICH);

        assertThat(time.instant()).isEqualTo(Instant.parse("2026-12-04T10:15:30Z"));
    }

    @Test
    void localDateTimeInGivenZone() throws CliException {
        AsOfTime time = AsOfTime.parse("2026-07-01T12:00:00", ZURICH);

        assertThat(time.instant()).isEqualTo(Instant.parse("2026-07-01T10:00:00Z"));
        assertThat(time.zone()).isEqualTo(ZURICH);
        assertThat(time.describe()).contains("Europe/Zurich");
    }

    @Test
    void localDateTimeWithSpace() throws CliException {
        assertThat(AsOfTime.parse("2026-12-04 10:15", ZURICH).instant())
                .isEqualTo(Instant.parse("2026-12-04T09:15:00Z"));
    }

    @Test
    void invalidTimeNamesFormats() {
        assertThatThrownBy(() -> AsOfTime.parse("yesterday", ZURICH)).isInstanceOf(CliException.class)
                .hasMessageContaining("'yesterday'").hasMessageContaining("2026-12-04T10:15:30Z")
                .hasMessageContaining("Europe/Zurich");
    }
}
