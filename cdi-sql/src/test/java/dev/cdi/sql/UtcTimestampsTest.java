package dev.cdi.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class UtcTimestampsTest {

    @Test
    void formatsUtcAtEveryPrecision() {
        Instant instant = Instant.parse("2026-01-02T03:04:05.123456789Z");

        assertThat(UtcTimestamps.format(instant, ChronoUnit.NANOS)).isEqualTo("2026-01-02 03:04:05.123456789");
        assertThat(UtcTimestamps.format(instant, ChronoUnit.MICROS)).isEqualTo("2026-01-02 03:04:05.123456");
        assertThat(UtcTimestamps.format(instant, ChronoUnit.MILLIS)).isEqualTo("2026-01-02 03:04:05.123");
        assertThat(UtcTimestamps.format(instant, ChronoUnit.SECONDS)).isEqualTo("2026-01-02 03:04:05");
        assertThat(UtcTimestamps.format(Instant.parse("0001-01-01T00:00:00Z"), ChronoUnit.MICROS))
                .isEqualTo("0001-01-01 00:00:00.000000");
    }

    @Test
    void parsesUtcTextExactlyAtAnyNumberOfDigits() {
        assertThat(UtcTimestamps.parse("2026-01-02 03:04:05.123456")).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
        assertThat(UtcTimestamps.parse("2026-01-02 03:04:05.123456789"))
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.123456789Z"));
        assertThat(UtcTimestamps.parse("2026-01-02 03:04:05.1")).isEqualTo(Instant.parse("2026-01-02T03:04:05.100Z"));
        assertThat(UtcTimestamps.parse("2026-01-02 03:04:05")).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(UtcTimestamps.parse("1969-12-31 23:59:59.999999")).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
        assertThat(UtcTimestamps.parse("0001-01-01 00:00:00.000000")).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
        assertThat(UtcTimestamps.parse("10000-01-01 00:00:00.000001"))
                .isEqualTo(Instant.parse("+10000-01-01T00:00:00.000001Z"));
        for (String bad : new String[] {"", "2026-01-02", "2026-01-02T03:04:05.123456", "2026-13-02 03:04:05.123456",
                "2026-01-02 24:04:05.123456", "2026-01-02 03:04:05.", "2026-01-02 03:04:05.1234567890",
                "2026-01-02 03:04:05.12345x", "2026-01-02 03:04:05.123456+00"}) {
            assertThatThrownBy(() -> UtcTimestamps.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void formatAndParseRoundTrip() {
        Instant instant = Instant.parse("2026-03-29T01:30:00.000001Z");
        assertThat(UtcTimestamps.parse(UtcTimestamps.format(instant, ChronoUnit.MICROS))).isEqualTo(instant);
    }

    @Test
    void convertsEpochCountsExactlyAlsoBefore1970() {
        assertThat(UtcTimestamps.fromEpoch(1_767_323_045_123_456L, ChronoUnit.MICROS))
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
        assertThat(UtcTimestamps.fromEpoch(1_767_323_045_123_456_789L, ChronoUnit.NANOS))
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.123456789Z"));
        assertThat(UtcTimestamps.fromEpoch(-1L, ChronoUnit.MICROS)).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
        assertThat(UtcTimestamps.fromEpoch(-1L, ChronoUnit.SECONDS)).isEqualTo(Instant.parse("1969-12-31T23:59:59Z"));
    }

    @Test
    void roundsUp() {
        assertThat(UtcTimestamps.ceil(Instant.parse("2026-01-02T03:04:05.1234561Z"), ChronoUnit.MICROS))
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.123457Z"));
        assertThat(UtcTimestamps.ceil(Instant.parse("2026-01-02T03:04:05.123456Z"), ChronoUnit.MICROS))
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
    }
}
