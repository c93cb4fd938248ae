package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.Watermark;
import dev.cdi.core.SyncEngine;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SPEC 4.7: the range of UPDATED_AT CDI handles; rows outside it never stop a run or poison the watermark. */
@ExtendWith(FakeWarehouseExtension.class)
class TimestampRangeRulesTest {

    @Test
    void rowsBelowTheRangeAreRowErrorsOnEveryRunAndRowsAboveItAreDeferred(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        warehouse.execute("INSERT INTO main.users (UPDATED_AT, EXTERNAL_ID, PAYLOAD) VALUES "
                + "(TIMESTAMP '-infinity', 'minus-infinity', '{}'), "
                + "(TIMESTAMP '0044-03-15 (BC) 12:00:00', 'caesar', '{}'), "
                + "(TIMESTAMP 'infinity', 'plus-infinity', '{}'), "
                + "(TIMESTAMP '2026-01-02 03:04:05', 'u1', '{}')");
        RecordingSink sink = new RecordingSink();
        SyncSpec spec = warehouse.spec("users", users, DataType.ATTRIBUTES).build();

        for (int run = 1; run <= 2; run++) {
            sink.clear();
            RunResult result = engine.run(spec, sink);

            assertThat(result.status()).as("run %d: %s", run, result.error()).isEqualTo(RunStatus.PARTIAL);
            assertThat(result.rowsSynced()).isEqualTo(run == 1 ? 1 : 0);
            assertThat(result.rowsFailed()).isEqualTo(2);
            assertThat(result.rowsDeferred()).as("+infinity waits, counted").isEqualTo(1);
            assertThat(result.rowErrors()).extracting(RowError::code)
                    .containsOnly(RowErrorCode.INVALID_UPDATED_AT).hasSize(2);
            assertThat(result.rowErrors()).extracting(error -> error.identifier().orElseThrow())
                    .containsExactlyInAnyOrder(new Identifier.ExternalId("minus-infinity"),
                            new Identifier.ExternalId("caesar"));
            assertThat(result.watermark()).contains(new Watermark(Instant.parse("2026-01-02T03:04:05Z"), 1));
        }
        assertThat(sink.rows()).isEmpty();
    }

    @Test
    void aLookBackBelowYearOneStartsAtTheRangesBeginning(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        users.row().updatedAt(Instant.parse("0001-01-01T00:30:00Z")).externalId("early").payload("{}").insert();
        RecordingSink sink = new RecordingSink();
        SyncSpec spec = warehouse.spec("users", users, DataType.ATTRIBUTES)
                .options(SyncOptions.builder().lookback(Duration.ofHours(1)).build()).build();

        assertThat(engine.run(spec, sink).status()).isEqualTo(RunStatus.SUCCESS);
        RunResult second = engine.run(spec, sink);

        assertThat(second.status()).as("%s", second.error()).isEqualTo(RunStatus.SUCCESS);
        assertThat(second.rowsRead()).isZero();
        assertThat(sink.rows()).hasSize(1);
    }

    @Test
    void settleLagAndLookBackBeyondThirtyDaysAreConfigurationErrors() {
        for (Duration tooLong : new Duration[] {Duration.parse("PT999999999999H"), Duration.parse("P1000000D"),
                Duration.ofDays(30).plusNanos(1)}) {
            assertThatThrownBy(() -> SyncOptions.builder().settleLag(tooLong).build())
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                    .hasMessageContaining("settleLag must be at most 30 days");
            assertThatThrownBy(() -> SyncOptions.builder().lookback(tooLong).build())
                    .hasMessageContaining("lookback must be at most 30 days");
        }
        assertThat(SyncOptions.builder().settleLag(Duration.ofDays(30)).lookback(Duration.ofDays(30)).build()
                .lookback()).isEqualTo(Duration.ofDays(30));
    }
}
