package dev.cdi.bigquery;

import dev.cdi.api.Column;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.TableName;
import dev.cdi.testkit.BaseConnectorTest;
import dev.cdi.testkit.ConformanceRow;
import dev.cdi.testkit.TestingBigQueryServer;
import dev.cdi.testkit.TimestampKind;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conformance suite: Google's real BigQuery client, with a real service-account token flow, against
 * {@link TestingBigQueryServer} (a Google Cloud project cannot be reached from here). Tables use {@code TIMESTAMP} or
 * {@code DATETIME}, {@code STRING} and {@code BOOL}.
 */
class BigQueryConnectorTest extends BaseConnectorTest {
    private final Map<TableName, List<Column>> columnsOf = new ConcurrentHashMap<>();
    private final Map<TableName, TimestampKind> kinds = new ConcurrentHashMap<>();

    @Override
    protected SourceConnector openConnector() {
        return TestingBigQuery.open(TestingBigQuery.settings());
    }

    @Override
    protected Set<ConnectorCapability> capabilities() {
        return new BigQueryConnectorProvider().capabilities();
    }

    @Override
    protected String schema() {
        return TestingBigQuery.DATASET;
    }

    @Override
    protected long largeTableRows() {
        return 140_000;
    }

    private static String qualified(TableName table) {
        return "`" + TestingBigQuery.PROJECT + "`.`" + table.schema() + "`.`" + table.table() + "`";
    }

    @Override
    protected void createTable(TableName table, List<Column> columns, TimestampKind timestampKind) {
        StringJoiner definitions = new StringJoiner(", ");
        for (Column column : columns) {
            definitions.add(column.name() + " " + type(column, timestampKind));
        }
        TestingBigQuery.server().createTable(qualified(table), definitions.toString());
        columnsOf.put(table, List.copyOf(columns));
        kinds.put(table, timestampKind);
    }

    private static String type(Column column, TimestampKind kind) {
        return switch (column) {
            case UPDATED_AT -> switch (kind) {
                case WITH_TIME_ZONE -> "TIMESTAMP";
                case WITHOUT_TIME_ZONE -> "DATETIME";
                case WITHOUT_TIME_ZONE_NANOS -> throw new IllegalArgumentException("BigQuery keeps microseconds");
            };
            case DELETED -> "BOOL";
            case PAYLOAD, EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> "STRING";
        };
    }

    @Override
    protected void insertRows(TableName table, List<ConformanceRow> rows) {
        List<Column> columns = columnsOf.get(table);
        Object[][] values = new Object[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            ConformanceRow row = rows.get(r);
            Object[] value = new Object[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                Column column = columns.get(c);
                value[c] = column == Column.UPDATED_AT ? row.updatedAt().orElse(null) : row.values().get(column);
            }
            values[r] = value;
        }
        TestingBigQuery.server().insert(qualified(table), values);
    }

    @Override
    protected void insertGeneratedRows(TableName table, long count, int payloadChars) {
        TestingBigQueryServer server = TestingBigQuery.server();
        String start = kinds.get(table) == TimestampKind.WITH_TIME_ZONE
                ? "TIMESTAMPTZ '2026-01-01 00:00:00+00'" : "TIMESTAMP '2026-01-01 00:00:00'";
        server.execute("INSERT INTO " + server.duckDbTableName(qualified(table))
                + " (UPDATED_AT, EXTERNAL_ID, PAYLOAD) SELECT " + start + " + i * INTERVAL 1 MICROSECOND, 'user' || i,"
                + " '{\"n\":' || i || ',\"pad\":\"' || repeat('x', " + payloadChars + ") || '\"}'"
                + " FROM range(1, " + (count + 1) + ") AS t(i)");
    }

    @Override
    protected void dropTable(TableName table) {
        TestingBigQuery.server().dropTable(qualified(table));
        columnsOf.remove(table);
        kinds.remove(table);
    }

    @Override
    protected SourceConnector openConnectorWithoutPrivilegeOn(TableName table) {
        TestingBigQueryServer.ServiceAccount limited = TestingBigQuery.server().createServiceAccount(
                "limited-" + table.table().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "") + "@"
                        + TestingBigQuery.PROJECT + ".iam.gserviceaccount.com");
        TestingBigQuery.server().revokeAccess(limited.email(), qualified(table));
        return TestingBigQuery.open(TestingBigQuery.settings(limited));
    }
}
