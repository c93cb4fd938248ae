package dev.cdi.databricks;

import dev.cdi.api.Column;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.TableName;
import dev.cdi.sql.UtcTimestamps;
import dev.cdi.testkit.BaseConnectorTest;
import dev.cdi.testkit.ConformanceRow;
import dev.cdi.testkit.TestingDatabricksServer;
import dev.cdi.testkit.TimestampKind;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conformance suite: the real Databricks driver, with a personal access token, against
 * {@link TestingDatabricksServer} (a Databricks workspace cannot be reached from here). Tables use the types a
 * Databricks customer would: {@code TIMESTAMP_NTZ} or {@code TIMESTAMP}, {@code STRING}, {@code BOOLEAN}.
 */
class DatabricksConnectorTest extends BaseConnectorTest {
    private static final String LIMITED_USER = "limited@example.com";
    private static final String LIMITED_TOKEN = "dapi-limited-user-token";

    private final Map<TableName, List<Column>> columnsOf = new ConcurrentHashMap<>();
    private final Map<TableName, TimestampKind> kinds = new ConcurrentHashMap<>();

    @Override
    protected SourceConnector openConnector() {
        return TestingDatabricks.open();
    }

    @Override
    protected Set<ConnectorCapability> capabilities() {
        return new DatabricksConnectorProvider().capabilities();
    }

    @Override
    protected String schema() {
        return TestingDatabricks.SCHEMA;
    }

    @Override
    protected long largeTableRows() {
        return 140_000;
    }

    /** The table in the fake's terms: the session's catalog, then the schema and table. */
    private static String qualified(TableName table) {
        return quoted(TestingDatabricks.CATALOG) + "." + quoted(table.schema()) + "." + quoted(table.table());
    }

    private static String quoted(String part) {
        return "`" + part.replace("`", "``") + "`";
    }

    @Override
    protected void createTable(TableName table, List<Column> columns, TimestampKind timestampKind) {
        StringJoiner definitions = new StringJoiner(", ");
        for (Column column : columns) {
            definitions.add(column.name().toLowerCase(Locale.ROOT) + " " + type(column, timestampKind));
        }
        TestingDatabricks.server().createTable(qualified(table), definitions.toString());
        columnsOf.put(table, List.copyOf(columns));
        kinds.put(table, timestampKind);
    }

    private static String type(Column column, TimestampKind kind) {
        return switch (column) {
            case UPDATED_AT -> kind == TimestampKind.WITH_TIME_ZONE ? "TIMESTAMP" : "TIMESTAMP_NTZ";
            case DELETED -> "BOOLEAN";
            case PAYLOAD, EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> "STRING";
        };
    }

    @Override
    protected void insertRows(TableName table, List<ConformanceRow> rows) {
        List<Column> columns = columnsOf.get(table);
        boolean zoned = kinds.get(table) == TimestampKind.WITH_TIME_ZONE;
        Object[][] values = new Object[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            ConformanceRow row = rows.get(r);
            Object[] value = new Object[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                Column column = columns.get(c);
                value[c] = column == Column.UPDATED_AT
                        ? row.updatedAt().map(instant -> UtcTimestamps.format(instant, ChronoUnit.MICROS)
                                + (zoned ? "+00:00" : "")).orElse(null)
                        : row.values().get(column);
            }
            values[r] = value;
        }
        TestingDatabricks.server().insert(qualified(table), values);
    }

    @Override
    protected void insertGeneratedRows(TableName table, long count, int payloadChars) {
        TestingDatabricksServer server = TestingDatabricks.server();
        String start = kinds.get(table) == TimestampKind.WITH_TIME_ZONE
                ? "TIMESTAMPTZ '2026-01-01 00:00:00+00'" : "TIMESTAMP '2026-01-01 00:00:00'";
        server.execute("INSERT INTO \"" + server.duckDbTableName(qualified(table)) + "\""
                + " (UPDATED_AT, EXTERNAL_ID, PAYLOAD) SELECT " + start + " + i * INTERVAL 1 MICROSECOND, 'user' || i,"
                + " '{\"n\":' || i || ',\"pad\":\"' || repeat('x', " + payloadChars + ") || '\"}'"
                + " FROM range(1, " + (count + 1) + ") AS t(i)");
    }

    @Override
    protected void dropTable(TableName table) {
        TestingDatabricks.server().dropTable(qualified(table));
        columnsOf.remove(table);
        kinds.remove(table);
    }

    /** A user whose token works but who lacks SELECT on the table: Unity Catalog's INSUFFICIENT_PERMISSIONS. */
    @Override
    protected SourceConnector openConnectorWithoutPrivilegeOn(TableName table) {
        TestingDatabricksServer server = TestingDatabricks.server();
        server.addPersonalAccessToken(LIMITED_TOKEN, LIMITED_USER);
        server.revoke(LIMITED_USER, "SELECT", qualified(table));
        Map<String, String> settings = TestingDatabricks.settings();
        settings.put("token", LIMITED_TOKEN);
        return TestingDatabricks.open(settings);
    }
}
