package dev.cdi.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.Column;
import dev.cdi.api.SourceRow;
import dev.cdi.core.state.Fingerprint;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FingerprinterTest {
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456Z");
    private final Fingerprinter fingerprinter = new Fingerprinter();

    private Fingerprint of(Instant at, String externalId, String payload) {
        return fingerprinter.of(SourceRow.builder().updatedAt(at).value(Column.EXTERNAL_ID, externalId)
                .value(Column.PAYLOAD, payload).build());
    }

    @Test
    void sameRowSameFingerprint() {
        assertThat(of(AT, "u1", "{\"a\":1}")).isEqualTo(of(AT, "u1", "{\"a\":1}"));
    }

    @Test
    void anyChangeChangesTheFingerprint() {
        Fingerprint base = of(AT, "u1", "{\"a\":1}");
        assertThat(of(AT, "u1", "{\"a\":2}")).isNotEqualTo(base);
        assertThat(of(AT, "u2", "{\"a\":1}")).isNotEqualTo(base);
        assertThat(of(AT.plusNanos(1000), "u1", "{\"a\":1}")).isNotEqualTo(base);
        assertThat(of(AT, "u1{", "\"a\":1}")).as("a moved boundary between columns").isNotEqualTo(base);
        Fingerprint asEmail = fingerprinter.of(SourceRow.builder().updatedAt(AT).value(Column.EMAIL, "u1")
                .value(Column.PAYLOAD, "{\"a\":1}").build());
        assertThat(asEmail).as("same text in another column").isNotEqualTo(base);
    }

    @Test
    void noCollisionsAmongManySimilarRows() {
        Set<Fingerprint> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            seen.add(of(AT, "user-" + i, "{\"n\":" + (i % 7) + "}"));
        }
        assertThat(seen).hasSize(200_000);
    }
}
