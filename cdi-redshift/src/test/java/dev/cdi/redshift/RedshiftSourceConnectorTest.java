package dev.cdi.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.sql.ColumnMapping;
import dev.cdi.sql.SourceType;
import dev.cdi.sql.SqlParameter;
import dev.cdi.sql.TimestampComparison;
import dev.cdi.sql.UtcTimestamps;
import dev.cdi.sql.ValueForm;
import dev.cdi.testkit.TestingRedshiftServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connector against PostgreSQL through the real Redshift driver, with the JVM's zone far from UTC
 * (America/Los_Angeles, with daylight saving) and the server's session zone elsewhere again (Asia/Kathmandu,
 * +05:45).
 */
class RedshiftSourceConnectorTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05.123456Z");
    private static final Instant BEFORE = T.minus(1, ChronoUnit.MICROS);
    private static final Instant AFTER = T.plus(1, ChronoUnit.MICROS);
    /** Instants a JVM- or session-zone conversion would get wrong: DST gap and overlap, before 1970, micros. */
    private static final List<Instant> TRICKY = List.of(
            Instant.parse("1969-12-31T23:59:59.999999Z"),
            Instant.parse("2026-03-08T10:30:00.999999Z"),
            Instant.parse("2026-07-01T12:34:56.000001Z"),
            Instant.parse("2026-11-01T08:30:00.654321Z"),
            Instant.parse("2026-11-01T09:30:00.654321Z"));

    private static TimeZone originalZone;
    private static TestingRedshiftServer server;
    private SourceConnector connector;

    @BeforeAll
    static void startServerInAFarZone() {
        originalZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
        server = TestingRedshift.server();
    }

    @AfterAll
    static void restoreZone() {
        TimeZone.setDefault(originalZone);
    }

    @BeforeEach
    void open() {
        connector = TestingRedshift.open();
    }

    @AfterEach
    void close() {
        connector.close();
        server.execute("DROP SCHEMA IF EXISTS source_test CASCADE", "CREATE SCHEMA source_test");
    }

    private static TableName table(String name) {
        return TableName.parse("source_test." + name);
    }

    @Test
    void readsEveryColumnTypeAsText() {
        server.execute("CREATE SCHEMA IF NOT EXISTS source_test",
                "CREATE TABLE source_test.types (Updated_At timestamptz, external_id varchar(64), alias_name char(8),"
                        + " alias_label text, braze_id character varying, email varchar(256), phone varchar(32),"
                        + " payload varchar(65535), id varchar(250), deleted boolean, other integer, extra jsonb)",
                "INSERT INTO source_test.types VALUES ('2026-01-02 03:04:05.123456+00', 'u1', 'name', 'label', 'b1',"
                        + " 'a@example.com', '+15555550100', '{\"a\":[1,\"Zoë\"]}', 'item-1', true, 7, '{}'),"
                        + " ('2026-01-02 03:04:05.123457+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, 8, NULL)");
        TableName types = table("types");

        TableSchema schema = connector.describe(types);
        List<SourceRow> rows = readAll(types, RowFilter.between(Optional.empty(), AFTER));

        assertThat(schema.columnTypes()).isEqualTo(Map.of(Column.UPDATED_AT, "timestamptz", Column.EXTERNAL_ID, "varchar",
                Column.ALIAS_NAME, "bpchar", Column.ALIAS_LABEL, "text", Column.BRAZE_ID, "varchar", Column.EMAIL,
                "varchar", Column.PHONE, "varchar", Column.PAYLOAD, "varchar", Column.ID, "varchar", Column.DELETED,
                "bool"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).updatedAt()).contains(T);
        assertThat(rows.get(0).values()).isEqualTo(Map.of(Column.EXTERNAL_ID, "u1", Column.ALIAS_NAME, "name    ",
                Column.ALIAS_LABEL, "label", Column.BRAZE_ID, "b1", Column.EMAIL, "a@example.com", Column.PHONE,
                "+15555550100", Column.PAYLOAD, "{\"a\":[1,\"Zoë\"]}", Column.ID, "item-1", Column.DELETED, "true"));
        assertThat(rows.get(1).values()).isEqualTo(Map.of(Column.DELETED, "false"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"timestamptz", "timestamp"})
    void timestampsAreReadExactlyToTheMicrosecondWhateverTheZones(String type) {
        createEvents(type);
        TableName events = table("events");

        List<Instant> read = readAll(events, RowFilter.between(Optional.empty(), Instant.parse("2999-01-01T00:00:00Z")))
                .stream().map(row -> row.updatedAt().orElseThrow()).toList();

        List<Instant> expected = new ArrayList<>(TRICKY);
        expected.addAll(List.of(BEFORE, T, AFTER));
        expected.sort(null);
        assertThat(read).containsExactlyElementsOf(expected);
        TableSchema schema = connector.describe(events);
        for (Instant instant : expected) {
            assertThat(connector.count(events, schema, RowFilter.at(instant))).as("bound %s", instant).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"timestamptz", "timestamp"})
    void everyRowFilterSelectsExactlyItsRows(String type) {
        createEvents(type, List.of(TRICKY.get(0)));
        TableName events = table("events");
        Instant halfMicroAfterT = T.plusNanos(500);
        Instant halfMicroBeforeT = T.minusNanos(500);

        assertThat(ids(RowFilter.at(T))).containsExactly("at");
        assertThat(ids(RowFilter.above(T))).containsExactly("after");
        assertThat(ids(RowFilter.above(BEFORE))).containsExactly("at", "after");
        assertThat(ids(RowFilter.after(BEFORE, T))).containsExactly("at");
        assertThat(ids(RowFilter.between(Optional.of(BEFORE), T))).containsExactly("before", "at");
        assertThat(ids(RowFilter.between(Optional.empty(), T))).containsExactly("t0", "before", "at");
        assertThat(ids(new RowFilter.Range(Optional.of(BEFORE), false, Optional.of(AFTER), false)))
                .containsExactly("at");
        assertThat(ids(new RowFilter.Range(Optional.of(BEFORE), true, Optional.of(AFTER), true)))
                .containsExactly("before", "at", "after");
        assertThat(ids(new RowFilter.Range(Optional.empty(), false, Optional.empty(), false))).containsExactly("t0", "before", "at", "after");
        assertThat(ids(RowFilter.nullUpdatedAt())).containsExactly("null");
        // Bounds finer than the column: rounded so that each comparison stays exact.
        assertThat(ids(RowFilter.at(halfMicroAfterT))).isEmpty();
        assertThat(ids(RowFilter.above(halfMicroBeforeT))).containsExactly("at", "after");
        assertThat(ids(RowFilter.above(halfMicroAfterT))).containsExactly("after");
        assertThat(ids(new RowFilter.Range(Optional.of(halfMicroBeforeT), true, Optional.of(halfMicroAfterT), true)))
                .containsExactly("at");
        assertThat(ids(new RowFilter.Range(Optional.of(halfMicroBeforeT), false, Optional.of(halfMicroAfterT), false)))
                .containsExactly("at");

        TableSchema schema = connector.describe(events);
        assertThat(connector.count(events, schema, RowFilter.above(BEFORE))).isEqualTo(2);
        assertThat(connector.count(events, schema, RowFilter.nullUpdatedAt())).isEqualTo(1);
        try (RowStream limited = connector.read(new ReadRequest(events, schema, RowFilter.between(Optional.empty(), AFTER),
                OptionalLong.of(2)))) {
            List<SourceRow> first = new ArrayList<>();
            limited.forEachRemaining(first::add);
            assertThat(first).extracting(row -> row.value(Column.EXTERNAL_ID).orElseThrow()).containsExactly("t0", "before");
        }
    }

    /**
     * The dialect's own SQL, run on a connection whose session zone is not UTC (the connector's connections set
     * UTC; this shows that reading and binding do not rely on it).
     */
    @ParameterizedTest
    @ValueSource(strings = {"timestamptz", "timestamp"})
    void selectingAndBindingDoNotDependOnTheSessionTimeZone(String type) throws SQLException {
        createEvents(type);
        RedshiftDialect dialect = new RedshiftDialect();
        Properties properties = new Properties();
        properties.setProperty("user", server.user());
        properties.setProperty("password", server.password());
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), properties)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET timezone TO 'Asia/Kathmandu'");
            }
            ColumnMapping mapping = dialect.updatedAtMapping(SourceType.of(type)).orElseThrow();
            TimestampComparison comparison = mapping.comparison().orElseThrow();
            assertThat(mapping.readAs()).isEqualTo(ValueForm.UTC_TEXT);
            String sql = "SELECT " + mapping.select().render("updated_at") + " FROM source_test.events"
                    + " WHERE updated_at = CAST(? AS " + comparison.castType() + ")";
            for (Instant instant : TRICKY) {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    dialect.bind(statement, 1, new SqlParameter.Timestamp(instant, comparison));
                    try (ResultSet resultSet = statement.executeQuery()) {
                        assertThat(resultSet.next()).as("bound %s", instant).isTrue();
                        assertThat(UtcTimestamps.parse(resultSet.getString(1))).isEqualTo(instant);
                    }
                }
            }
            try (Statement statement = connection.createStatement();
                    ResultSet resultSet = statement.executeQuery("SHOW timezone")) {
                resultSet.next();
                assertThat(resultSet.getString(1)).isEqualTo("Asia/Kathmandu");
            }
        }
    }

    @Test
    void theCurrentTimeComesFromTheWarehouseWithMicroseconds() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant now = connector.currentTime();
        Instant after = Instant.now();

        assertThat(now).isBetween(before.minus(Duration.ofSeconds(2)), after.plus(Duration.ofSeconds(2)));
        assertThat(now.getNano() % 1_000).isZero();
    }

    @Test
    void aJsonbPayloadIsRefusedWithAdviceAndAJsonbColumnNotReadIsIgnored() {
        server.execute("CREATE SCHEMA IF NOT EXISTS source_test",
                "CREATE TABLE source_test.jsonb_payload (updated_at timestamptz, external_id varchar, payload jsonb)",
                "INSERT INTO source_test.jsonb_payload VALUES ('2026-01-02 03:04:05.123456+00', 'u1', '{\"a\": 1}')",
                "CREATE TABLE source_test.jsonb_other (updated_at timestamptz, external_id varchar, payload varchar,"
                        + " extra jsonb)",
                "CREATE VIEW source_test.jsonb_as_text AS SELECT updated_at, external_id, payload::varchar AS payload"
                        + " FROM source_test.jsonb_payload");

        assertThatThrownBy(() -> connector.describe(table("jsonb_payload")))
                .isInstanceOfSatisfying(CdiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_COLUMN_TYPE);
                    assertThat(e.category()).isEqualTo(ErrorCategory.SCHEMA);
                })
                .hasMessageContaining("PAYLOAD").hasMessageContaining("jsonb").hasMessageContaining("view");
        assertThat(connector.describe(table("jsonb_other")).columnTypes()).containsOnlyKeys(Column.UPDATED_AT,
                Column.EXTERNAL_ID, Column.PAYLOAD);
        assertThat(readAll(table("jsonb_as_text"), RowFilter.at(T))).singleElement()
                .satisfies(row -> assertThat(row.value(Column.PAYLOAD)).contains("{\"a\": 1}"));
    }

    @Test
    void anUpdatedAtThatIsNotATimestampIsRefusedNamingTheTypesRead() {
        server.execute("CREATE SCHEMA IF NOT EXISTS source_test",
                "CREATE TABLE source_test.dates (updated_at date, external_id varchar, payload varchar)");

        assertThatThrownBy(() -> connector.describe(table("dates")))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_COLUMN_TYPE))
                .hasMessageContaining("date").hasMessageContaining("TIMESTAMPTZ or TIMESTAMP");
    }

    private void createEvents(String type) {
        createEvents(type, TRICKY);
    }

    /** Rows "before", "at" and "after" around {@link #T}, one with a NULL, and "t0", "t1", ... at {@code tricky}. */
    private void createEvents(String type, List<Instant> tricky) {
        StringBuilder insert = new StringBuilder("INSERT INTO source_test.events VALUES ");
        for (int i = 0; i < tricky.size(); i++) {
            insert.append(value(tricky.get(i), type, "t" + i)).append(", ");
        }
        insert.append(value(BEFORE, type, "before")).append(", ").append(value(T, type, "at")).append(", ")
                .append(value(AFTER, type, "after")).append(", (NULL, 'null', '{}')");
        server.execute("CREATE SCHEMA IF NOT EXISTS source_test",
                "CREATE TABLE source_test.events (updated_at " + type + ", external_id varchar(64), payload varchar)",
                insert.toString());
    }

    /** A literal written in UTC, with an explicit offset for {@code timestamptz}. */
    private static String value(Instant instant, String type, String id) {
        String utc = instant.toString().replace('T', ' ').replace("Z", "");
        return "('" + utc + (type.equals("timestamptz") ? "+00" : "") + "', '" + id + "', '{}')";
    }

    private List<String> ids(RowFilter filter) {
        return readAll(table("events"), filter).stream().map(row -> row.value(Column.EXTERNAL_ID).orElseThrow()).toList();
    }

    private List<SourceRow> readAll(TableName table, RowFilter filter) {
        TableSchema schema = connector.describe(table);
        List<SourceRow> rows = new ArrayList<>();
        try (RowStream stream = connector.read(new ReadRequest(table, schema, filter, OptionalLong.empty()))) {
            stream.forEachRemaining(rows::add);
        }
        return rows;
    }
}
