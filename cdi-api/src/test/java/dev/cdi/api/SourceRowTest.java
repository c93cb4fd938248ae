package dev.cdi.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceRowTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void reusingTheBuilderLeavesARowAlreadyBuiltUnchanged() {
        SourceRow.Builder builder = SourceRow.builder().updatedAt(T0).value(Column.EXTERNAL_ID, "u1")
                .value(Column.PAYLOAD, "{\"a\":1}");
        SourceRow first = builder.build();

        builder.updatedAt(T0.plusSeconds(1)).value(Column.EXTERNAL_ID, "u2").value(Column.PAYLOAD, null)
                .value(Column.EMAIL, "u2@example.com");
        SourceRow second = builder.build();

        assertThat(first.updatedAt()).contains(T0);
        assertThat(first.values()).isEqualTo(Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, "{\"a\":1}"));
        assertThat(second.updatedAt()).contains(T0.plusSeconds(1));
        assertThat(second.values()).isEqualTo(Map.of(Column.EXTERNAL_ID, "u2", Column.EMAIL, "u2@example.com"));
    }
}
