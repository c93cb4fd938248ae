package dev.cdi.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.InMemoryStateStore;
import dev.cdi.testkit.RecordingSink;
import dev.cdi.testkit.TestingDatabricksServer;
import dev.cdi.testkit.TestingDatabricksServer.WarehouseState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What is particular to Databricks, on the real driver against the fake SQL warehouse. */
class DatabricksSourceConnectorTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String newTable(TestingDatabricksServer server, String columns) {
        String name = "t" + TABLES.incrementAndGet();
        server.createTable(TestingDatabricks.CATALOG + "." + TestingDatabricks.SCHEMA + "." + name, columns);
        return name;
    }

    private static String qualified(String name) {
        return TestingDatabricks.CATALOG + "." + TestingDatabricks.SCHEMA + "." + name;
    }

    private static List<SourceRow> readAll(SourceConnector connector, TableName table) {
        TableSchema schema = connector.describe(table);
        List<SourceRow> rows = new ArrayList<>();
        try (RowStream stream = connector.read(new ReadRequest(table, schema,
                RowFilter.between(Optional.empty(), Instant.parse("2030-01-01T00:00:00Z")), OptionalLong.empty()))) {
            stream.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static SyncSpec spec(String integration, Map<String, String> settings, String table) {
        return SyncSpec.builder().integration(integration)
                .connector("databricks", TestingDatabricks.connectorSettings(settings))
                .table(table).dataType(DataType.ATTRIBUTES).build();
    }

    @Test
    void structAndMapPayloadsArriveAsJsonTextAndTimestampsKeepTheirMicroseconds() throws Exception {
        TestingDatabricksServer server = TestingDatabricks.server();
        String struct = newTable(server, "updated_at TIMESTAMP_NTZ, external_id STRING,"
                + " payload STRUCT<plan: STRING, seats: INT>");
        server.execute("INSERT INTO \"" + server.duckDbTableName(qualified(struct)) + "\" VALUES"
                + " (TIMESTAMP '2026-01-02 03:04:05.123456', 'u1', {'plan': 'gold', 'seats': 3})");
        String map = newTable(server, "updated_at TIMESTAMP, external_id STRING, payload MAP<STRING, STRING>");
        server.execute("INSERT INTO \"" + server.duckDbTableName(qualified(map)) + "\" VALUES"
                + " (TIMESTAMPTZ '2026-01-02 03:04:05.000001+00', 'u2', MAP {'tier': 'b'})");
        try (SourceConnector connector = TestingDatabricks.open()) {
            TableName structTable = TableName.parse(TestingDatabricks.SCHEMA + "." + struct);
            assertThat(connector.describe(structTable).columnTypes().get(Column.PAYLOAD)).startsWith("STRUCT");
            SourceRow row = readAll(connector, structTable).get(0);
            assertThat(row.updatedAt()).contains(Instant.parse("2026-01-02T03:04:05.123456Z"));
            assertThat(JSON.readTree(row.value(Column.PAYLOAD).orElseThrow()))
                    .isEqualTo(JSON.readTree("{\"plan\": \"gold\", \"seats\": 3}"));

            SourceRow mapRow = readAll(connector, TableName.parse(TestingDatabricks.SCHEMA + "." + map)).get(0);
            assertThat(mapRow.updatedAt()).contains(Instant.parse("2026-01-02T03:04:05.000001Z"));
            assertThat(JSON.readTree(mapRow.value(Column.PAYLOAD).orElseThrow()))
                    .isEqualTo(JSON.readTree("{\"tier\": \"b\"}"));
        }
        assertThat(server.unexpectedRequests()).isEmpty();
    }

    @Test
    void aResultOfManyChunksStreamsThroughCloudFetchAndEveryStatementIsClosed() {
        TestingDatabricksServer server = TestingDatabricksServer.start();
        try (server) {
            server.setRowsPerChunk(1_000);
            String name = newTable(server, "updated_at TIMESTAMP, external_id STRING, payload STRING");
            server.execute("INSERT INTO \"" + server.duckDbTableName(qualified(name)) + "\" SELECT TIMESTAMPTZ"
                    + " '2026-01-01 00:00:00+00' + i * INTERVAL 1 MICROSECOND, 'user' || i, '{}' FROM range(25000) t(i)");
            Map<String, String> settings = TestingDatabricks.settings();
            settings.put("port", Integer.toString(server.port()));
            settings.put("token", server.personalAccessToken());
            int chunksBefore = server.chunksServed();
            try (SourceConnector connector = TestingDatabricks.open(settings)) {
                List<SourceRow> rows = readAll(connector, TableName.parse(TestingDatabricks.SCHEMA + "." + name));
                assertThat(rows).hasSize(25_000);
                assertThat(rows.get(24_999).value(Column.EXTERNAL_ID)).contains("user24999");
            }
            // 25 chunks of 1,000 rows; the driver may fetch a chunk it prefetched once more as the statement closes.
            assertThat(server.chunksServed() - chunksBefore).isBetween(25, 26);
            assertThat(server.openStatements()).isZero();
            assertThat(server.openSessions()).isZero();
            assertThat(server.unexpectedRequests()).isEmpty();
        }
    }

    @Test
    void aSyncRidesThroughAStartingWarehouseAndTagsEveryStatementWithTheIntegrationAndRun() {
        TestingDatabricksServer server = TestingDatabricksServer.start();
        try (server) {
            String name = newTable(server, "updated_at TIMESTAMP, external_id STRING, payload STRING");
            server.insert(qualified(name), new Object[] {"2026-01-02 03:04:05+00", "u1", "{}"},
                    new Object[] {"2026-01-02 03:04:06+00", "u2", "{}"});
            server.stopWarehouse(Duration.ofSeconds(3));
            Map<String, String> settings = TestingDatabricks.settings();
            settings.put("port", Integer.toString(server.port()));
            settings.put("token", server.personalAccessToken());
            RecordingSink sink = new RecordingSink();
            long start = System.nanoTime();
            try (SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).build()) {
                RunResult result = engine.run(spec("orders", settings, TestingDatabricks.SCHEMA + "." + name), sink);

                assertThat(result.status()).as(result.toString()).isEqualTo(RunStatus.SUCCESS);
                assertThat(sink.rows()).hasSize(2);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
                assertThat(server.warehouseStarts()).isEqualTo(1);
                assertThat(server.warehouseState()).isEqualTo(WarehouseState.RUNNING);
                assertThat(server.queryHistory()).filteredOn(entry -> entry.statementText().contains("`" + name + "`"))
                        .hasSizeGreaterThanOrEqualTo(3)
                        .allSatisfy(entry -> assertThat(entry.queryTags())
                                .containsEntry("cdi_integration", "orders")
                                .containsEntry("cdi_run", result.runId()));
            }
        }
    }

    @Test
    void aWarehouseStillStartingAfterTheWarmupTimeoutFailsRetryablySayingSo() {
        TestingDatabricksServer server = TestingDatabricksServer.start();
        try (server) {
            server.stopWarehouse(Duration.ofMinutes(5));
            Map<String, String> settings = TestingDatabricks.settings();
            settings.put("port", Integer.toString(server.port()));
            settings.put("token", server.personalAccessToken());
            settings.put("warmupTimeout", "PT2S");
            try (SourceConnector connector = TestingDatabricks.open(settings)) {
                assertThatThrownBy(connector::currentTime)
                        .isInstanceOfSatisfying(CdiException.class, e -> {
                            assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_FAILED);
                            assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTIVITY);
                            assertThat(e.retryable()).isTrue();
                        })
                        .hasMessageContaining("did not start within 2s (warmupTimeout)")
                        .hasMessageContaining("serverless");
            }
            assertThat(server.warehouseState()).isEqualTo(WarehouseState.STARTING);
        }
    }

    @Test
    void aRevokedTokenIsAnAuthenticationErrorWithAdvice() {
        TestingDatabricksServer server = TestingDatabricks.server();
        server.addPersonalAccessToken("dapi-soon-revoked", "leaver@example.com");
        server.revokePersonalAccessToken("dapi-soon-revoked");
        Map<String, String> settings = TestingDatabricks.settings();
        settings.put("token", "dapi-soon-revoked");
        try (SourceConnector connector = TestingDatabricks.open(settings)) {
            assertThatThrownBy(connector::currentTime)
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
                    .hasMessageContaining("personal access token")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("dapi-soon-revoked"));
        }
    }

    @Test
    void aMissingTableIsNotFoundWithAdvice() {
        try (SourceConnector connector = TestingDatabricks.open()) {
            assertThatThrownBy(() -> connector.describe(TableName.parse(TestingDatabricks.SCHEMA + ".no_such_table")))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TABLE_NOT_FOUND))
                    .hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND").hasMessageContaining("42P01")
                    .hasMessageContaining("USE CATALOG, USE SCHEMA and SELECT");
        }
    }

    @Test
    void withoutUseCatalogOrUseSchemaTheErrorNamesTheGrantToRun() {
        TestingDatabricksServer server = TestingDatabricks.server();
        String name = newTable(server, "updated_at TIMESTAMP, external_id STRING, payload STRING");
        server.addPersonalAccessToken("dapi-no-catalog", "analyst@example.com");
        server.revoke("analyst@example.com", "USE CATALOG", TestingDatabricks.CATALOG);
        server.addPersonalAccessToken("dapi-no-schema", "intern@example.com");
        server.revoke("intern@example.com", "USE SCHEMA", TestingDatabricks.CATALOG + "." + TestingDatabricks.SCHEMA);
        TableName table = TableName.parse(TestingDatabricks.SCHEMA + "." + name);
        Map<String, String> settings = TestingDatabricks.settings();
        settings.put("token", "dapi-no-catalog");
        try (SourceConnector connector = TestingDatabricks.open(settings)) {
            assertThatThrownBy(() -> connector.describe(table))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PERMISSION_DENIED))
                    .hasMessageContaining("GRANT USE CATALOG ON CATALOG `cdi` TO");
        }
        settings.put("token", "dapi-no-schema");
        try (SourceConnector connector = TestingDatabricks.open(settings)) {
            assertThatThrownBy(() -> connector.describe(table))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PERMISSION_DENIED))
                    .hasMessageContaining("GRANT USE SCHEMA ON SCHEMA `cdi`.`sales` TO");
        }
    }

    @Test
    void aDateUpdatedAtIsRefusedWhenTheTableIsDescribed() {
        String name = newTable(TestingDatabricks.server(), "updated_at DATE, external_id STRING, payload STRING");
        try (SourceConnector connector = TestingDatabricks.open()) {
            assertThatThrownBy(() -> connector.describe(TableName.parse(TestingDatabricks.SCHEMA + "." + name)))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_COLUMN_TYPE))
                    .hasMessageContaining("TIMESTAMP or TIMESTAMP_NTZ (UTC)");
        }
    }

    @Test
    void theClockIsTheWarehousesInUtc() {
        TestingDatabricksServer server = TestingDatabricksServer.start();
        try (server) {
            Instant frozen = Instant.parse("2026-05-06T07:08:09.123456Z");
            server.freezeTimeAt(frozen);
            Map<String, String> settings = TestingDatabricks.settings();
            settings.put("port", Integer.toString(server.port()));
            settings.put("token", server.personalAccessToken());
            try (SourceConnector connector = TestingDatabricks.open(settings)) {
                assertThat(connector.currentTime()).isEqualTo(frozen);
            }
        }
    }
}
