package dev.cdi.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.Column;
import dev.cdi.api.SourceRow;
import dev.cdi.core.state.Fingerprint;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FingerprintWindowTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void keepsOnlyTheGroupAtTheWatermarkWithoutLookback() {
        FingerprintWindow window = new FingerprintWindow(100, Duration.ZERO, new Fingerprinter());
        window.slideTo(T0);
        window.add(T0, new Fingerprint(0, 1));
        window.slideTo(T0.plusSeconds(1));
        window.add(T0.plusSeconds(1), new Fingerprint(0, 2));
        assertThat(window.fingerprints()).containsExactly(new Fingerprint(0, 2));
        assertThat(window.isComplete(T0.plusSeconds(1))).isTrue();
    }

    @Test
    void keepsTheLookbackWindow() {
        FingerprintWindow window = new FingerprintWindow(100, Duration.ofSeconds(10), new Fingerprinter());
        for (int s = 0; s <= 30; s += 5) {
            window.slideTo(T0.plusSeconds(s));
            window.add(T0.plusSeconds(s), new Fingerprint(0, s));
        }
        assertThat(window.fingerprints()).containsExactlyInAnyOrder(new Fingerprint(0, 20), new Fingerprint(0, 25),
                new Fingerprint(0, 30));
    }

    @Test
    void anOverflowedGroupMakesEveryWindowContainingItIncomplete() {
        FingerprintWindow window = new FingerprintWindow(2, Duration.ofSeconds(10), new Fingerprinter());
        window.slideTo(T0);
        for (int i = 0; i < 3; i++) {
            window.add(T0, new Fingerprint(0, i));
        }
        assertThat(window.isComplete(T0)).isFalse();
        window.slideTo(T0.plusSeconds(5));
        window.add(T0.plusSeconds(5), new Fingerprint(1, 0));
        assertThat(window.isComplete(T0.plusSeconds(5))).isFalse();
        window.slideTo(T0.plusSeconds(11));
        window.add(T0.plusSeconds(11), new Fingerprint(1, 1));
        assertThat(window.isComplete(T0.plusSeconds(11))).isTrue();
        assertThat(window.fingerprints()).containsExactlyInAnyOrder(new Fingerprint(1, 0), new Fingerprint(1, 1));
    }

    @Test
    void rowsFingerprintedLaterGiveTheSameFingerprintsAndCountTowardsTheLimit() {
        Fingerprinter fingerprinter = new Fingerprinter();
        FingerprintWindow window = new FingerprintWindow(3, Duration.ZERO, fingerprinter);
        SourceRow a = SourceRow.builder().updatedAt(T0).value(Column.EXTERNAL_ID, "a").value(Column.PAYLOAD, "{}").build();
        SourceRow b = SourceRow.builder().updatedAt(T0).value(Column.EXTERNAL_ID, "b").value(Column.PAYLOAD, "{}").build();
        window.slideTo(T0);
        window.add(T0, a);
        window.add(T0, b);
        assertThat(window.fingerprints()).containsExactlyInAnyOrder(fingerprinter.of(a), fingerprinter.of(b));
        assertThat(window.isComplete(T0)).isTrue();

        window.add(T0, SourceRow.builder().updatedAt(T0).value(Column.EXTERNAL_ID, "c").build());
        window.add(T0, SourceRow.builder().updatedAt(T0).value(Column.EXTERNAL_ID, "d").build());
        assertThat(window.isComplete(T0)).isFalse();
        assertThat(window.fingerprints()).isEmpty();

        window.slideTo(T0.plusSeconds(1));
        window.add(T0.plusSeconds(1), a);
        assertThat(window.isComplete(T0.plusSeconds(1))).isTrue();
        assertThat(window.fingerprints()).containsExactly(fingerprinter.of(a));
    }
}
