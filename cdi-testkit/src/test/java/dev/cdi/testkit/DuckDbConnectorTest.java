package dev.cdi.testkit;

import dev.cdi.api.Column;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.TableName;
import dev.cdi.duckdb.DuckDbConnectorProvider;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance suite against the {@code duckdb} connector on an in-memory DuckDB. It lives here rather than in
 * cdi-duckdb because the testkit itself depends on cdi-duckdb (its fake warehouse is DuckDB).
 */
class DuckDbConnectorTest extends BaseConnectorTest {
    private static FakeWarehouse warehouse;

    @BeforeAll
    static void startWarehouse() {
        warehouse = FakeWarehouse.create();
    }

    @AfterAll
    static void closeWarehouse() {
        warehouse.close();
    }

    @Override
    protected SourceConnector openConnector() {
        return warehouse.connector();
    }

    @Override
    protected Set<ConnectorCapability> capabilities() {
        return new DuckDbConnectorProvider().capabilities();
    }

    @Override
    protected String schema() {
        return "main";
    }

    @Override
    protected void createTable(TableName table, List<Column> columns, TimestampKind timestampKind) {
        String timestampType = switch (timestampKind) {
            case WITHOUT_TIME_ZONE -> "TIMESTAMP";
            case WITH_TIME_ZONE -> "TIMESTAMPTZ";
            case WITHOUT_TIME_ZONE_NANOS -> "TIMESTAMP_NS";
        };
        warehouse.createTable(table, new TableLayout(columns, timestampType, "VARCHAR"));
    }

    @Override
    protected void insertRows(TableName table, List<ConformanceRow> rows) {
        FakeTable fake = warehouse.table(table);
        for (ConformanceRow row : rows) {
            FakeTable.RowInsert insert = fake.row();
            row.updatedAt().ifPresent(insert::updatedAt);
            row.values().forEach(insert::set);
            insert.insert();
        }
    }

    @Override
    protected void insertGeneratedRows(TableName table, long count, int payloadChars) {
        warehouse.execute("INSERT INTO " + FakeWarehouse.quoted(table) + " (UPDATED_AT, EXTERNAL_ID, PAYLOAD) SELECT "
                + "TIMESTAMP '2026-01-01 00:00:00' + to_microseconds(i), 'user-' || i, "
                + "'{\"filler\":\"' || repeat('x', " + (payloadChars - 14) + ") || '\"}' FROM range(" + count + ") t(i)");
    }

    @Override
    protected void dropTable(TableName table) {
        warehouse.execute("DROP TABLE IF EXISTS " + FakeWarehouse.quoted(table));
    }
}
