package org.arca.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    @Test
    void defaultWindowIsThirtyDays() {
        assertThat(RetentionPolicy.defaults().cdpWindow()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void windowStartIsNowMinusWindow() {
        Instant now = Instant.parse("2026-12-04T10:00:00Z");

        assertThat(RetentionPolicy.ofDays(7).windowStart(now)).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
    }

    @Test
    void zeroDayWindowRejected() {
        assertThatThrownBy(() -> RetentionPolicy.ofDays(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use 1 to 36500 days");
    }

    @Test
    void hugeWindowRejected() {
        assertThatThrownBy(() -> RetentionPolicy.ofDays(36_501))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
    }

    @Test
    void shortCheckpointIntervalRejected() {
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ofDays(30), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one hour");
    }
}
