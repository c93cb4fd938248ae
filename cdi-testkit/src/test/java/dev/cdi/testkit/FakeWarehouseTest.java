package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunContext;
import dev.cdi.api.RunStatus;
import dev.cdi.core.ConnectorRegistry;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.InMemoryStateStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The testkit's own promises: discovery by name, fresh warehouses, closing. */
class FakeWarehouseTest {

    @Test
    void theFakeConnectorIsFoundThroughServiceLoader() {
        assertThat(ConnectorRegistry.discover().names()).contains("fake", "duckdb");
    }

    @Test
    void aSpecFindsItsWarehouseByNameThroughAPlainEngine() {
        try (FakeWarehouse warehouse = FakeWarehouse.create()) {
            FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
            users.row().updatedAt(Instant.parse("2026-01-01T00:00:00Z")).externalId("u1").payload("{}").insert();
            RecordingSink sink = new RecordingSink();
            SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).build();
            RunResult result = engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES).build(), sink);
            assertThat(result.status()).isEqualTo(RunStatus.SUCCESS);
            assertThat(sink.rows()).hasSize(1);
            assertThat(users.count()).isEqualTo(1);
        }
    }

    @Test
    void everyQueryOfARunCarriesTheIntegrationAndRunInItsTag() {
        try (FakeWarehouse warehouse = FakeWarehouse.create();
                SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).build()) {
            FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
            users.row().updatedAt(Instant.parse("2026-01-01T00:00:00Z")).externalId("u1").payload("{}").insert();

            RunResult first = engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES).build(), new RecordingSink());
            RunResult second = engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES).build(), new RecordingSink());

            String firstTag = new RunContext("users", first.runId()).label();
            String secondTag = new RunContext("users", second.runId()).label();
            assertThat(firstTag).isNotEqualTo(secondTag).startsWith("cdi:users:");
            // describe, current time, counts and the read of each run
            assertThat(warehouse.queryTags()).filteredOn(firstTag::equals).hasSizeGreaterThanOrEqualTo(4);
            assertThat(warehouse.queryTags()).filteredOn(secondTag::equals).hasSizeGreaterThanOrEqualTo(3);
            assertThat(warehouse.queryTags()).containsOnly(firstTag, secondTag);
        }
    }

    @Test
    void aClosedWarehouseIsAClearConfigError() {
        FakeWarehouse warehouse = FakeWarehouse.create();
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        warehouse.close();
        RunResult result = SyncEngine.builder().build().run(warehouse.spec("users", users, DataType.ATTRIBUTES).build(),
                new RecordingSink());
        assertThat(result.status()).isEqualTo(RunStatus.CONFIG_ERROR);
        assertThat(result.error().orElseThrow().message()).contains("closed");
    }
}
