package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.RunResult;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.Watermark;
import dev.cdi.core.SyncEngine;
import java.time.Instant;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SPEC section 3: time-zone-less timestamps hold UTC, read at full precision whatever the JVM's zone. */
@ExtendWith(FakeWarehouseExtension.class)
class TimestampRulesTest {
    private TimeZone original;

    @BeforeEach
    void runInLosAngeles() {
        original = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
    }

    @AfterEach
    void restoreZone() {
        TimeZone.setDefault(original);
    }

    @Test
    void aTimestampWithoutTimeZoneIsReadAsUtcAtMicrosecondPrecision(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        warehouse.execute("INSERT INTO main.users (UPDATED_AT, EXTERNAL_ID, PAYLOAD) VALUES "
                + "(TIMESTAMP '2026-01-02 03:04:05.123456', 'u1', '{}'), (TIMESTAMP '2026-01-02 03:04:05.123457', 'u2', '{}')");
        RecordingSink sink = new RecordingSink();
        SyncSpec spec = warehouse.spec("users", users, DataType.ATTRIBUTES).build();

        RunResult first = engine.run(spec, sink);

        assertThat(sink.rows()).extracting(row -> row.updatedAt()).containsExactly(
                Instant.parse("2026-01-02T03:04:05.123456Z"), Instant.parse("2026-01-02T03:04:05.123457Z"));
        assertThat(first.watermark()).contains(new Watermark(Instant.parse("2026-01-02T03:04:05.123457Z"), 1));

        // The watermark is bound back without loss: the row one microsecond below it is not read again, the new
        // one at it is.
        warehouse.execute("INSERT INTO main.users (UPDATED_AT, EXTERNAL_ID, PAYLOAD) VALUES "
                + "(TIMESTAMP '2026-01-02 03:04:05.123457', 'u3', '{}')");
        sink.clear();
        engine.run(spec, sink);
        assertThat(sink.rows()).extracting(row -> row.identifier()).containsExactly(new dev.cdi.api.Identifier.ExternalId("u3"));
    }

    @Test
    void aTimestampWithTimeZoneIsReadAsItsInstant(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", TableLayout.of(DataType.ATTRIBUTES).withTimestampType("TIMESTAMPTZ"));
        warehouse.execute("INSERT INTO main.users (UPDATED_AT, EXTERNAL_ID, PAYLOAD) VALUES "
                + "(TIMESTAMPTZ '2026-07-01 12:00:00.000001+02:00', 'u1', '{}')");
        RecordingSink sink = new RecordingSink();
        engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES).build(), sink);
        assertThat(sink.rows()).extracting(row -> row.updatedAt())
                .containsExactly(Instant.parse("2026-07-01T10:00:00.000001Z"));
    }
}
