package dev.cdi.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.DataType;
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
import dev.cdi.testkit.TestingSnowflakeServer;
import dev.cdi.testkit.TestingSnowflakeServer.WarehouseState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What is particular to Snowflake, on the real driver against the fake Snowflake. */
class SnowflakeSourceConnectorTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final Instant T = Instant.parse("2026-01-02T03:04:05.123456789Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String newTable(String columns) {
        String name = "T" + TABLES.incrementAndGet();
        TestingSnowflake.server().createTable(TestingSnowflake.DATABASE + ".PUBLIC." + name, columns);
        return name;
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

    @Test
    void variantAndObjectPayloadsArriveAsJsonTextAndTimestampsKeepTheirNanoseconds() throws Exception {
        String name = newTable("UPDATED_AT TIMESTAMP_NTZ(9), EXTERNAL_ID VARCHAR, PAYLOAD VARIANT");
        TestingSnowflake.server().insert(TestingSnowflake.DATABASE + ".PUBLIC." + name,
                new Object[] {"2026-01-02 03:04:05.123456789", "u1", "{\"plan\": \"gold\", \"n\": [1, 2]}"});
        try (SourceConnector connector = TestingSnowflake.open()) {
            TableName table = TableName.parse("public." + name.toLowerCase(Locale.ROOT));
            assertThat(connector.describe(table).columnTypes()).containsEntry(Column.PAYLOAD, "VARIANT");
            List<SourceRow> rows = readAll(connector, table);
            assertThat(rows).hasSize(1);
            SourceRow row = rows.get(0);
            assertThat(row.updatedAt()).contains(T);
            // TO_JSON may order the keys and drop the blanks; the JSON value is what counts.
            assertThat(JSON.readTree(row.value(Column.PAYLOAD).orElseThrow()))
                    .isEqualTo(JSON.readTree("{\"plan\": \"gold\", \"n\": [1, 2]}"));
        }
    }

    @Test
    void aQuotedLowerCaseTableKeepsItsCaseAndAnUnquotedNameResolvesUpperCase() {
        TestingSnowflakeServer server = TestingSnowflake.server();
        String lower = "lower_" + TABLES.incrementAndGet();
        server.createTable(TestingSnowflake.DATABASE + ".PUBLIC.\"" + lower + "\"",
                "\"updated_at\" TIMESTAMP_LTZ(9), \"external_id\" VARCHAR, \"payload\" VARCHAR");
        server.insert(TestingSnowflake.DATABASE + ".PUBLIC.\"" + lower + "\"",
                new Object[] {"2026-01-02 03:04:05.123456+00:00", "u1", "{}"});
        try (SourceConnector connector = TestingSnowflake.open()) {
            TableName quoted = TableName.parse("public.\"" + lower + "\"");
            assertThat(connector.describe(quoted).columnNames()).containsEntry(Column.UPDATED_AT, "updated_at");
            assertThat(readAll(connector, quoted)).singleElement()
                    .satisfies(row -> assertThat(row.updatedAt()).contains(Instant.parse("2026-01-02T03:04:05.123456Z")));
            assertThatThrownBy(() -> connector.describe(TableName.parse("public." + lower)))
                    .as("unquoted, the name means " + lower.toUpperCase(Locale.ROOT))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TABLE_NOT_FOUND));
        }
    }

    @Test
    void aTableTheRoleMayNotReadIsNotFoundWithAdviceToCheckTheGrants() {
        String name = newTable("UPDATED_AT TIMESTAMP_NTZ(9), EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR");
        TestingSnowflake.server().revokeSelect("CDI_NO_SELECT", TestingSnowflake.DATABASE + ".PUBLIC." + name);
        Map<String, String> settings = TestingSnowflake.settings();
        settings.put("role", "CDI_NO_SELECT");
        try (SourceConnector connector = TestingSnowflake.open(settings)) {
            assertThatThrownBy(() -> connector.describe(TableName.parse("public." + name)))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TABLE_NOT_FOUND))
                    .hasMessageContaining("vendor code 2003").hasMessageContaining("GRANT SELECT")
                    .hasMessageContaining("TO ROLE CDI_NO_SELECT");
        }
    }

    @Test
    void aRoleWithoutUsageOnTheWarehouseIsPermissionsNamingTheGrant() {
        String name = newTable("UPDATED_AT TIMESTAMP_NTZ(9), EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR");
        TestingSnowflake.server().revokeWarehouseUsage("CDI_NO_WAREHOUSE", TestingSnowflake.WAREHOUSE);
        Map<String, String> settings = TestingSnowflake.settings();
        settings.put("role", "CDI_NO_WAREHOUSE");
        try (SourceConnector connector = TestingSnowflake.open(settings)) {
            assertThatThrownBy(() -> connector.describe(TableName.parse("public." + name)))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PERMISSION_DENIED))
                    .hasMessageContaining("GRANT USAGE ON WAREHOUSE " + TestingSnowflake.WAREHOUSE
                            + " TO ROLE CDI_NO_WAREHOUSE");
        }
    }

    @Test
    void anUnsupportedTypeIsRefusedWhenTheTableIsDescribed() {
        String name = newTable("UPDATED_AT DATE, EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR");
        try (SourceConnector connector = TestingSnowflake.open()) {
            assertThatThrownBy(() -> connector.describe(TableName.parse("public." + name)))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_COLUMN_TYPE))
                    .hasMessageContaining("TIMESTAMP_NTZ (UTC), TIMESTAMP_LTZ or TIMESTAMP_TZ");
        }
    }

    @Test
    void aSyncWaitsForASuspendedWarehouseAndTagsEveryQueryWithTheIntegrationAndRun() {
        TestingSnowflakeServer server = TestingSnowflake.server();
        String warehouse = "SLEEPY_WH_" + TABLES.incrementAndGet();
        server.addWarehouse(warehouse, WarehouseState.SUSPENDED);
        String name = newTable("UPDATED_AT TIMESTAMP_NTZ(9), EXTERNAL_ID VARCHAR, PAYLOAD VARCHAR");
        server.insert(TestingSnowflake.DATABASE + ".PUBLIC." + name, new Object[] {"2026-01-02 03:04:05", "u1", "{}"},
                new Object[] {"2026-01-02 03:04:06", "u2", "{}"});
        Map<String, String> settings = TestingSnowflake.settings();
        settings.put("warehouse", warehouse);
        int resumesBefore = server.warehouseResumes();
        RecordingSink sink = new RecordingSink();
        try (SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).build()) {
            RunResult result = engine.run(SyncSpec.builder().integration("orders")
                    .connector("snowflake", TestingSnowflake.connectorSettings(settings))
                    .table("public." + name).dataType(DataType.ATTRIBUTES).build(), sink);

            assertThat(result.status()).as(result.toString()).isEqualTo(RunStatus.SUCCESS);
            assertThat(sink.rows()).hasSize(2);
            assertThat(server.warehouseResumes()).isGreaterThan(resumesBefore);
            assertThat(server.warehouseState(warehouse)).isEqualTo(WarehouseState.RUNNING);
            String tag = "cdi:orders:" + result.runId();
            assertThat(server.queryHistory()).filteredOn(entry -> entry.queryText().contains("\"" + name + "\""))
                    .isNotEmpty().allSatisfy(entry -> assertThat(entry.queryTag()).isEqualTo(tag));
        }
    }
}
