package dev.cdi.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncOptions;
import dev.cdi.core.SyncEngine;
import dev.cdi.testkit.FakeTable;
import dev.cdi.testkit.FakeWarehouse;
import dev.cdi.testkit.FakeWarehouseExtension;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FakeWarehouseExtension.class)
class AcceptingSinkTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aRunThroughItSyncsEveryRow(FakeWarehouse warehouse, SyncEngine engine) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        for (int i = 0; i < 12; i++) {
            users.row().updatedAt(T0.plusSeconds(i)).externalId("u" + i).payload("{}").insert();
        }

        RunResult result = engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES)
                .options(SyncOptions.builder().batchSize(5).build()).build(), new AcceptingSink());

        assertThat(result.error()).isEmpty();
        assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(result.rowsSynced()).isEqualTo(12);
    }
}
