package dev.cdi.snowflake;

import dev.cdi.api.Column;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.TableName;
import dev.cdi.sql.UtcTimestamps;
import dev.cdi.testkit.BaseConnectorTest;
import dev.cdi.testkit.ConformanceRow;
import dev.cdi.testkit.TestingSnowflakeServer;
import dev.cdi.testkit.TimestampKind;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conformance suite: the real Snowflake driver, logged in with a key pair, against {@link TestingSnowflakeServer}
 * (a Snowflake account cannot be reached from here). Tables use the types a Snowflake customer would:
 * {@code TIMESTAMP_NTZ(9)} or {@code TIMESTAMP_LTZ(9)}, {@code VARCHAR}, {@code BOOLEAN}.
 */
class SnowflakeConnectorTest extends BaseConnectorTest {
    private static final String LIMITED_ROLE = "CDI_LIMITED";

    private final Map<TableName, List<Column>> columnsOf = new ConcurrentHashMap<>();
    private final Map<TableName, TimestampKind> kinds = new ConcurrentHashMap<>();
    private final SnowflakeDialect dialect = new SnowflakeDialect(TestingSnowflake.USER, Optional.empty(),
            Optional.empty());

    @Override
    protected SourceConnector openConnector() {
        return TestingSnowflake.open();
    }

    @Override
    protected Set<ConnectorCapability> capabilities() {
        return new SnowflakeConnectorProvider().capabilities();
    }

    @Override
    protected String schema() {
        return "public";
    }

    @Override
    protected long largeTableRows() {
        return 140_000;
    }

    /** The table in the fake's terms: the session's database, then the name as the dialect quotes it. */
    private String qualified(TableName table) {
        return "\"" + TestingSnowflake.DATABASE + "\"." + dialect.qualifiedTableName(table);
    }

    @Override
    protected void createTable(TableName table, List<Column> columns, TimestampKind timestampKind) {
        StringJoiner definitions = new StringJoiner(", ");
        for (Column column : columns) {
            definitions.add(column.name().toLowerCase(Locale.ROOT) + " " + type(column, timestampKind));
        }
        TestingSnowflake.server().createTable(qualified(table), definitions.toString());
        columnsOf.put(table, List.copyOf(columns));
        kinds.put(table, timestampKind);
    }

    private static String type(Column column, TimestampKind kind) {
        return switch (column) {
            case UPDATED_AT -> kind == TimestampKind.WITH_TIME_ZONE ? "TIMESTAMP_LTZ(9)" : "TIMESTAMP_NTZ(9)";
            case PAYLOAD -> "VARCHAR";
            case DELETED -> "BOOLEAN";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> "VARCHAR";
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
                        ? row.updatedAt().map(instant -> UtcTimestamps.format(instant, ChronoUnit.NANOS)
                                + (zoned ? "+00:00" : "")).orElse(null)
                        : row.values().get(column);
            }
            values[r] = value;
        }
        TestingSnowflake.server().insert(qualified(table), values);
    }

    @Override
    protected void insertGeneratedRows(TableName table, long count, int payloadChars) {
        TestingSnowflakeServer server = TestingSnowflake.server();
        String start = kinds.get(table) == TimestampKind.WITH_TIME_ZONE
                ? "TIMESTAMPTZ '2026-01-01 00:00:00+00'" : "TIMESTAMP_NS '2026-01-01 00:00:00'";
        server.execute("INSERT INTO main.\"" + server.duckDbTableName(qualified(table)).replace("\"", "\"\"") + "\""
                + " (UPDATED_AT, EXTERNAL_ID, PAYLOAD) SELECT " + start + " + i * INTERVAL 1 MICROSECOND, 'user' || i,"
                + " '{\"n\":' || i || ',\"pad\":\"' || repeat('x', " + payloadChars + ") || '\"}'"
                + " FROM range(1, " + (count + 1) + ") AS t(i)");
    }

    @Override
    protected void dropTable(TableName table) {
        TestingSnowflake.server().dropTable(qualified(table));
        columnsOf.remove(table);
        kinds.remove(table);
    }

    /**
     * A role without USAGE on the warehouse: what Snowflake reports as a privilege (000606). A role without SELECT on
     * the table gets "does not exist or not authorized" instead, which Snowflake does not tell apart from a missing
     * table ({@link SnowflakeErrorsTest} covers it).
     */
    @Override
    protected SourceConnector openConnectorWithoutPrivilegeOn(TableName table) {
        TestingSnowflake.server().revokeWarehouseUsage(LIMITED_ROLE, TestingSnowflake.WAREHOUSE);
        Map<String, String> settings = TestingSnowflake.settings();
        settings.put("role", LIMITED_ROLE);
        return TestingSnowflake.open(settings);
    }
}
