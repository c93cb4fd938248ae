package dev.cdi.fabric;

import dev.cdi.api.Column;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.TableName;
import dev.cdi.testkit.BaseConnectorTest;
import dev.cdi.testkit.ConformanceRow;
import dev.cdi.testkit.TestingFabricServer;
import dev.cdi.testkit.TestingFabricServer.ServicePrincipal;
import dev.cdi.testkit.TimestampKind;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conformance suite: Microsoft's real SQL Server driver, logged in with a token that the real
 * {@code azure-identity} credential got from the fake Entra, against {@link TestingFabricServer} (a Fabric workspace
 * cannot be reached from here). Tables use the types a Fabric warehouse has: {@code DATETIME2(6)} or
 * {@code DATETIMEOFFSET(6)}, {@code VARCHAR(8000)}, {@code VARCHAR(MAX)} payloads, {@code BIT}.
 */
class FabricConnectorTest extends BaseConnectorTest {
    private final Map<TableName, List<Column>> columnsOf = new ConcurrentHashMap<>();
    private final Map<TableName, TimestampKind> kinds = new ConcurrentHashMap<>();
    private final FabricDialect dialect = new FabricDialect(FabricSettings.parse(
            TestingFabric.connectorSettings(TestingFabric.settings())));

    /** The default encryption, {@code mandatory} (TLS negotiated inside TDS), the chain checked against the fake's. */
    @Override
    protected SourceConnector openConnector() {
        Map<String, String> settings = TestingFabric.settings();
        settings.remove("encrypt");
        return TestingFabric.open(settings);
    }

    @Override
    protected Set<ConnectorCapability> capabilities() {
        return new FabricConnectorProvider().capabilities();
    }

    @Override
    protected String schema() {
        return TestingFabricServer.SCHEMA;
    }

    @Override
    protected long largeTableRows() {
        return 140_000;
    }

    @Override
    protected void createTable(TableName table, List<Column> columns, TimestampKind timestampKind) {
        StringJoiner definitions = new StringJoiner(", ");
        for (Column column : columns) {
            definitions.add(dialect.quoteIdentifier(column.name()) + " " + type(column, timestampKind));
        }
        String name = dialect.qualifiedTableName(table);
        TestingFabric.server().execute("CREATE TABLE " + name + " (" + definitions + ")");
        if (columns.contains(Column.UPDATED_AT)) {
            // As a warehouse orders by a clustered column: the fake's engine then streams ordered reads.
            TestingFabric.server().execute("CREATE INDEX " + dialect.quoteIdentifier("ix_" + table.table()) + " ON "
                    + name + " (" + dialect.quoteIdentifier(Column.UPDATED_AT.name()) + ")");
        }
        columnsOf.put(table, List.copyOf(columns));
        kinds.put(table, timestampKind);
    }

    private static String type(Column column, TimestampKind kind) {
        return switch (column) {
            case UPDATED_AT -> kind == TimestampKind.WITH_TIME_ZONE ? "DATETIMEOFFSET(6)" : "DATETIME2(6)";
            case PAYLOAD -> "VARCHAR(MAX)";
            case DELETED -> "BIT";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> "VARCHAR(8000)";
        };
    }

    @Override
    protected void insertRows(TableName table, List<ConformanceRow> rows) {
        List<Column> columns = columnsOf.get(table);
        boolean zoned = kinds.get(table) == TimestampKind.WITH_TIME_ZONE;
        List<Object[]> values = new ArrayList<>();
        for (ConformanceRow row : rows) {
            Object[] value = new Object[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                Column column = columns.get(c);
                if (column == Column.UPDATED_AT) {
                    value[c] = row.updatedAt().map(instant -> zoned ? (Object) OffsetDateTime.ofInstant(instant,
                            ZoneOffset.UTC) : LocalDateTime.ofInstant(instant, ZoneOffset.UTC)).orElse(null);
                } else if (column == Column.DELETED) {
                    value[c] = row.values().containsKey(column) ? Boolean.valueOf(row.values().get(column)) : null;
                } else {
                    value[c] = row.values().get(column);
                }
            }
            values.add(value);
        }
        TestingFabric.server().insert(dialect.qualifiedTableName(table), values);
    }

    @Override
    protected void insertGeneratedRows(TableName table, long count, int payloadChars) {
        TestingFabric.server().execute("INSERT INTO " + dialect.qualifiedTableName(table)
                + " (UPDATED_AT, EXTERNAL_ID, PAYLOAD) SELECT DATEADD(MICROSECOND, X, CAST('"
                + LocalDateTime.ofInstant(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)
                + "' AS DATETIME2(6))), 'user' || X, '{\"n\":' || X || ',\"pad\":\"' || REPEAT('x', " + payloadChars
                + ") || '\"}' FROM SYSTEM_RANGE(1, " + count + ")");
    }

    @Override
    protected void dropTable(TableName table) {
        TestingFabric.server().execute("DROP TABLE IF EXISTS " + dialect.qualifiedTableName(table));
        columnsOf.remove(table);
        kinds.remove(table);
    }

    /** Another service principal of the tenant, refused SELECT on the table (error 229). */
    @Override
    protected SourceConnector openConnectorWithoutPrivilegeOn(TableName table) {
        ServicePrincipal limited = TestingFabric.server().addServicePrincipal();
        TestingFabric.server().denySelect(limited.clientId(), table.table());
        return TestingFabric.open(TestingFabric.settings(limited));
    }
}
