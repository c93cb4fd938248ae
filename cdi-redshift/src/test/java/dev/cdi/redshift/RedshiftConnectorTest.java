package dev.cdi.redshift;

import dev.cdi.api.Column;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.TableName;
import dev.cdi.testkit.BaseConnectorTest;
import dev.cdi.testkit.ConformanceRow;
import dev.cdi.testkit.TestingRedshiftServer;
import dev.cdi.testkit.TimestampKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conformance suite: the real Redshift driver against PostgreSQL behind {@link TestingRedshiftServer}'s
 * proxy. Tables use the types a Redshift customer would ({@code varchar} identifiers and payload,
 * {@code timestamptz} or {@code timestamp}, {@code boolean}); rows are inserted through the PostgreSQL driver.
 */
class RedshiftConnectorTest extends BaseConnectorTest {
    private static final String UNPRIVILEGED_USER = "cdi_unprivileged";
    private static final String UNPRIVILEGED_PASSWORD = "unprivileged-password";
    private static boolean unprivilegedUserCreated;

    private final Map<TableName, TimestampKind> kinds = new ConcurrentHashMap<>();

    @Override
    protected SourceConnector openConnector() {
        return TestingRedshift.open();
    }

    @Override
    protected Set<ConnectorCapability> capabilities() {
        return new RedshiftConnectorProvider().capabilities();
    }

    @Override
    protected String schema() {
        return "public";
    }

    /** More than twice the suite's 128 MB bound in payload characters; fewer rows keep the module fast. */
    @Override
    protected long largeTableRows() {
        return 140_000;
    }

    @Override
    protected void createTable(TableName table, List<Column> columns, TimestampKind timestampKind) {
        StringJoiner definitions = new StringJoiner(", ");
        for (Column column : columns) {
            definitions.add(column.name().toLowerCase(Locale.ROOT) + " " + type(column, timestampKind));
        }
        TestingRedshift.server().execute("CREATE TABLE " + quoted(table) + " (" + definitions + ")");
        kinds.put(table, timestampKind);
    }

    private static String type(Column column, TimestampKind kind) {
        return switch (column) {
            case UPDATED_AT -> switch (kind) {
                case WITH_TIME_ZONE -> "timestamptz";
                case WITHOUT_TIME_ZONE -> "timestamp";
                case WITHOUT_TIME_ZONE_NANOS -> throw new IllegalArgumentException("Redshift keeps microseconds");
            };
            case PAYLOAD -> "varchar(65535)";
            case DELETED -> "boolean";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> "varchar(256)";
        };
    }

    @Override
    protected void insertRows(TableName table, List<ConformanceRow> rows) {
        boolean zoned = kinds.get(table) == TimestampKind.WITH_TIME_ZONE;
        try (Connection connection = TestingRedshift.server().adminConnection()) {
            for (ConformanceRow row : rows) {
                StringJoiner names = new StringJoiner(", ");
                StringJoiner markers = new StringJoiner(", ");
                names.add("updated_at");
                markers.add("?");
                row.values().keySet().forEach(column -> {
                    names.add(column.name().toLowerCase(Locale.ROOT));
                    markers.add(column == Column.DELETED ? "CAST(? AS boolean)" : "?");
                });
                try (PreparedStatement statement = connection.prepareStatement(
                        "INSERT INTO " + quoted(table) + " (" + names + ") VALUES (" + markers + ")")) {
                    if (row.updatedAt().isEmpty()) {
                        statement.setObject(1, null, zoned ? Types.TIMESTAMP_WITH_TIMEZONE : Types.TIMESTAMP);
                    } else if (zoned) {
                        statement.setObject(1, row.updatedAt().get().atOffset(ZoneOffset.UTC));
                    } else {
                        statement.setObject(1, row.updatedAt().get().atOffset(ZoneOffset.UTC).toLocalDateTime());
                    }
                    int index = 2;
                    for (String value : row.values().values()) {
                        statement.setString(index++, value);
                    }
                    statement.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void insertGeneratedRows(TableName table, long count, int payloadChars) {
        String start = kinds.get(table) == TimestampKind.WITH_TIME_ZONE
                ? "TIMESTAMPTZ '2026-01-01 00:00:00+00'" : "TIMESTAMP '2026-01-01 00:00:00'";
        TestingRedshift.server().execute("INSERT INTO " + quoted(table) + " (updated_at, external_id, payload)"
                + " SELECT " + start + " + i * INTERVAL '1 microsecond', 'user' || i,"
                + " '{\"n\":' || i || ',\"pad\":\"' || repeat('x', " + payloadChars + ") || '\"}'"
                + " FROM generate_series(1, " + count + ") AS i");
    }

    @Override
    protected void dropTable(TableName table) {
        TestingRedshift.server().execute("DROP TABLE IF EXISTS " + quoted(table));
        kinds.remove(table);
    }

    @Override
    protected SourceConnector openConnectorWithoutPrivilegeOn(TableName table) {
        synchronized (RedshiftConnectorTest.class) {
            if (!unprivilegedUserCreated) {
                TestingRedshift.server().createUser(UNPRIVILEGED_USER, UNPRIVILEGED_PASSWORD);
                unprivilegedUserCreated = true;
            }
        }
        Map<String, String> settings = TestingRedshift.settings();
        settings.put("user", UNPRIVILEGED_USER);
        settings.put("password", UNPRIVILEGED_PASSWORD);
        return TestingRedshift.open(settings);
    }

    private static String quoted(TableName table) {
        return quote(table.schema()) + "." + quote(table.table());
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
