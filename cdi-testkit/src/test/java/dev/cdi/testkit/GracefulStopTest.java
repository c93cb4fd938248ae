package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowSink;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncOptions;
import dev.cdi.api.SyncSpec;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.InMemoryStateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A stop request (SIGTERM, an application closing) ends a run at a checkpoint: nothing missed, nothing repeated. */
@ExtendWith(FakeWarehouseExtension.class)
class GracefulStopTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int ROWS = 2_000;

    @Test
    void aRunAskedToStopCheckpointsWhatItDeliveredAndTheNextRunDeliversTheRestOnce(FakeWarehouse warehouse) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        for (int i = 0; i < ROWS; i++) {
            // Groups of two rows share an UPDATED_AT, so a stop must not split a group.
            users.row().updatedAt(T0.plusSeconds(i / 2)).externalId("u" + i).payload("{}").insert();
        }
        InMemoryStateStore state = new InMemoryStateStore();
        SyncSpec spec = warehouse.spec("users", users, DataType.ATTRIBUTES)
                .options(SyncOptions.builder().batchSize(101).build()).build();
        SyncEngine stopping = SyncEngine.builder().stateStore(state).registerConnector(new FakeWarehouseConnectorProvider())
                .build();
        RecordingSink delivered = new RecordingSink();
        RowSink stopAfterFirstBatch = batch -> {
            stopping.requestStop();
            return delivered.write(batch);
        };

        RunResult stopped = stopping.run(spec, stopAfterFirstBatch);

        assertThat(stopped.status()).isEqualTo(RunStatus.ERROR);
        assertThat(stopped.error().orElseThrow().code()).isEqualTo(ErrorCode.RUN_STOPPED);
        assertThat(delivered.rows()).hasSizeBetween(101, ROWS - 1);
        assertThat(delivered.rows().size() % 2).as("whole groups only").isZero();
        assertThat(stopped.watermark().orElseThrow().updatedAt())
                .isEqualTo(delivered.rows().get(delivered.rows().size() - 1).updatedAt());
        assertThat(stopping.run(spec, delivered).error().orElseThrow().code()).as("stops before reading")
                .isEqualTo(ErrorCode.RUN_STOPPED);

        SyncEngine next = SyncEngine.builder().stateStore(state).registerConnector(new FakeWarehouseConnectorProvider())
                .build();
        assertThat(next.run(spec, delivered).status()).isEqualTo(RunStatus.SUCCESS);

        List<ResolvedRow> all = new ArrayList<>(delivered.rows());
        Set<Identifier> distinct = new HashSet<>();
        all.forEach(row -> distinct.add(row.identifier()));
        assertThat(all).hasSize(ROWS);
        assertThat(distinct).hasSize(ROWS);
    }
}
