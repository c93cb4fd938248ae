package dev.cdi.duckdb;

import static dev.cdi.duckdb.TestingDuckDb.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The connector against a real in-memory DuckDB, with the JVM's default zone far from UTC. */
class DuckDbSourceConnectorTest {
    private static final TableName EVENTS = TableName.parse("main.events");
    private static final Instant T1 = Instant.parse("2026-01-02T03:04:05.123455Z");
    private static final Instant T2 = Instant.parse("2026-01-02T03:04:05.123456Z");
    private static final Instant T3 = Instant.parse("2026-01-02T03:04:05.123457Z");

    private TimeZone originalZone;
    private TestingDuckDb database;
    private SourceConnector connector;

    @BeforeEach
    void setUp() {
        originalZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
        database = new TestingDuckDb();
        connector = DuckDbConnectorProvider.forConnection(database.connection);
    }

    @AfterEach
    void tearDown() throws Exception {
        connector.close();
        database.close();
        TimeZone.setDefault(originalZone);
    }

    private void createEvents(String updatedAtType) {
        database.execute(
                "CREATE TABLE events (Updated_At " + updatedAtType + ", external_id VARCHAR, payload VARCHAR, other INTEGER)",
                // inserted out of order, with a NULL
                "INSERT INTO events VALUES ('2026-01-02 03:04:05.123457', 'u3', '{\"n\":3}', 0),"
                        + " (NULL, 'u0', '{\"n\":0}', 0),"
                        + " ('2026-01-02 03:04:05.123455', 'u1', '{\"n\":1}', 0),"
                        + " ('2026-01-02 03:04:05.123456', 'u2', '{\"n\":2}', 0)");
    }

    @Test
    void describeMapsColumnNamesIgnoringCaseKeepsSourceTypesAndIgnoresOthers() {
        createEvents("TIMESTAMP");

        assertThat(connector.describe(EVENTS)).isEqualTo(new TableSchema(
                Map.of(Column.UPDATED_AT, "TIMESTAMP", Column.EXTERNAL_ID, "VARCHAR", Column.PAYLOAD, "VARCHAR"),
                Map.of(Column.UPDATED_AT, "Updated_At", Column.EXTERNAL_ID, "external_id", Column.PAYLOAD, "payload")));
    }

    @Test
    void timestampIsReadAndBoundAsUtcAtMicrosecondPrecision() {
        createEvents("TIMESTAMP");

        List<SourceRow> rows = readAll(connector, EVENTS, RowFilter.at(T2));

        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.updatedAt()).contains(Instant.parse("2026-01-02T03:04:05.123456Z"));
            assertThat(row.value(Column.EXTERNAL_ID)).contains("u2");
        });
    }

    @Test
    void everyFilterShapeSelectsExactlyTheRightRowsAtItsBoundaries() {
        createEvents("TIMESTAMP");

        assertSelects(RowFilter.between(Optional.empty(), T2), "u1", "u2");
        assertSelects(RowFilter.between(Optional.of(T1), T3), "u1", "u2", "u3");
        assertSelects(RowFilter.between(Optional.of(T2), T2), "u2");
        assertSelects(RowFilter.after(T1, T3), "u2", "u3");
        assertSelects(RowFilter.after(T1, T2), "u2");
        assertSelects(RowFilter.at(T2), "u2");
        assertSelects(RowFilter.above(T2), "u3");
        assertSelects(RowFilter.above(T3));
        assertSelects(new RowFilter.Range(Optional.of(T1), true, Optional.of(T3), false), "u1", "u2");
        assertSelects(new RowFilter.Range(Optional.of(T1), false, Optional.of(T3), false), "u2");
        assertSelects(new RowFilter.Range(Optional.empty(), false, Optional.of(T2), false), "u1");
        assertSelects(new RowFilter.Range(Optional.empty(), false, Optional.empty(), false), "u1", "u2", "u3");
        assertSelects(RowFilter.nullUpdatedAt(), "u0");
    }

    @Test
    void boundsFinerThanTheColumnStayExact() {
        createEvents("TIMESTAMP");
        Instant justAfterT2 = T2.plusNanos(1);

        assertSelects(RowFilter.at(justAfterT2));
        assertSelects(RowFilter.between(Optional.of(justAfterT2), T3), "u3");
        assertSelects(RowFilter.after(justAfterT2, T3), "u3");
        assertSelects(RowFilter.between(Optional.empty(), justAfterT2), "u1", "u2");
        assertSelects(new RowFilter.Range(Optional.empty(), false, Optional.of(justAfterT2), false), "u1", "u2");
        assertSelects(RowFilter.above(T2.minusNanos(1)), "u2", "u3");
    }

    @Test
    void rowsComeOrderedByUpdatedAtAndNullsOnlyThroughTheirOwnFilter() {
        createEvents("TIMESTAMP");

        List<SourceRow> rows = readAll(connector, EVENTS, RowFilter.between(Optional.empty(), T3));

        assertThat(rows).extracting(row -> row.updatedAt().orElseThrow()).containsExactly(T1, T2, T3);
        assertThat(readAll(connector, EVENTS, RowFilter.nullUpdatedAt())).singleElement()
                .satisfies(row -> assertThat(row.updatedAt()).isEmpty());
    }

    @Test
    void readHonoursTheLimit() {
        createEvents("TIMESTAMP");

        List<SourceRow> rows = TestingDuckDb.read(connector, EVENTS, connector.describe(EVENTS),
                RowFilter.above(Instant.EPOCH), OptionalLong.of(2));

        assertThat(rows).extracting(row -> row.value(Column.EXTERNAL_ID).orElseThrow()).containsExactly("u1", "u2");
    }

    @Test
    void timestampNsKeepsNanoseconds() {
        database.execute("CREATE TABLE events (updated_at TIMESTAMP_NS, external_id VARCHAR)",
                "INSERT INTO events VALUES ('2026-01-02 03:04:05.123456789', 'u1'), ('2026-01-02 03:04:05.12345679', 'u2')");
        Instant nanos = Instant.parse("2026-01-02T03:04:05.123456789Z");

        assertThat(readAll(connector, EVENTS, RowFilter.at(nanos))).singleElement()
                .satisfies(row -> assertThat(row.updatedAt()).contains(nanos));
        assertSelects(RowFilter.above(nanos), "u2");
        assertSelects(RowFilter.between(Optional.empty(), nanos), "u1");
        assertSelects(RowFilter.between(Optional.empty(), nanos.plusNanos(1)), "u1", "u2");
        assertSelects(new RowFilter.Range(Optional.empty(), false, Optional.of(nanos.plusNanos(1)), false), "u1");
    }

    @Test
    void timestampTzIsAnInstantWhateverTheSessionTimeZone() {
        database.execute("SET GLOBAL TimeZone = 'America/Los_Angeles'",
                "CREATE TABLE events (updated_at TIMESTAMPTZ, external_id VARCHAR)",
                "INSERT INTO events VALUES ('2026-01-02 03:04:05.123456+00', 'u1'), ('2026-01-01 19:04:05.123457-08', 'u2')");

        assertThat(readAll(connector, EVENTS, RowFilter.above(Instant.EPOCH)))
                .extracting(row -> row.updatedAt().orElseThrow())
                .containsExactly(T2, T3);
        assertSelects(RowFilter.at(T2), "u1");
        assertSelects(RowFilter.after(T2, T3), "u2");
    }

    @Test
    void millisecondAndSecondTimestamps() {
        database.execute("CREATE TABLE events (updated_at TIMESTAMP_MS, external_id VARCHAR)",
                "INSERT INTO events VALUES ('2026-01-02 03:04:05.123', 'u1'), ('2026-01-02 03:04:05.124', 'u2')");
        Instant millis = Instant.parse("2026-01-02T03:04:05.123Z");

        assertThat(readAll(connector, EVENTS, RowFilter.at(millis))).singleElement()
                .satisfies(row -> assertThat(row.updatedAt()).contains(millis));
        // DuckDB rounds text cast to TIMESTAMP_MS; the bound is rounded first, so the comparison stays exact.
        assertSelects(RowFilter.between(Optional.of(millis.plusNanos(600_000)), millis.plusMillis(5)), "u2");
        assertSelects(RowFilter.between(Optional.empty(), millis.plusNanos(600_000)), "u1");

        database.execute("CREATE TABLE seconds (updated_at TIMESTAMP_S, external_id VARCHAR)",
                "INSERT INTO seconds VALUES ('2026-01-02 03:04:05', 's1')");
        assertThat(readAll(connector, TableName.parse("main.seconds"), RowFilter.at(Instant.parse("2026-01-02T03:04:05Z"))))
                .hasSize(1);
    }

    @Test
    void everyPayloadTypeComesBackAsJsonText() {
        database.execute(
                "CREATE TABLE p_varchar (updated_at TIMESTAMP, payload VARCHAR)",
                "INSERT INTO p_varchar VALUES ('2026-01-01', '{\"a\": 1}')",
                "CREATE TABLE p_json (updated_at TIMESTAMP, payload JSON)",
                "INSERT INTO p_json VALUES ('2026-01-01', '{\"a\":[1,2],\"b\":{\"c\":null}}')",
                "CREATE TABLE p_struct (updated_at TIMESTAMP, payload STRUCT(name VARCHAR, score INTEGER, tags VARCHAR[]))",
                "INSERT INTO p_struct VALUES ('2026-01-01', {'name': 'Ann \"A\"', 'score': 7, 'tags': ['x', 'y']})",
                "CREATE TABLE p_map (updated_at TIMESTAMP, payload MAP(VARCHAR, INTEGER))",
                "INSERT INTO p_map VALUES ('2026-01-01', MAP {'k1': 1, 'k2': 2})");

        assertThat(payload("p_varchar")).isEqualTo("{\"a\": 1}");
        assertThat(payload("p_json")).isEqualTo("{\"a\":[1,2],\"b\":{\"c\":null}}");
        assertThat(payload("p_struct")).isEqualTo("{\"name\":\"Ann \\\"A\\\"\",\"score\":7,\"tags\":[\"x\",\"y\"]}");
        assertThat(payload("p_map")).isEqualTo("{\"k1\":1,\"k2\":2}");
        assertThat(connector.describe(TableName.parse("main.p_struct")).typeOf(Column.PAYLOAD))
                .contains("STRUCT(\"name\" VARCHAR, score INTEGER, tags VARCHAR[])");
    }

    private String payload(String table) {
        return readAll(connector, TableName.parse("main." + table), RowFilter.above(Instant.EPOCH)).get(0)
                .value(Column.PAYLOAD).orElseThrow();
    }

    @Test
    void deletedAndIdentifierColumnsAreText() {
        database.execute("CREATE TABLE catalog (updated_at TIMESTAMP, id BIGINT, payload VARCHAR, deleted BOOLEAN)",
                "INSERT INTO catalog VALUES ('2026-01-01', 1, '{}', true), ('2026-01-02', 2, '{}', false),"
                        + " ('2026-01-03', 3, NULL, NULL)");

        List<SourceRow> rows = readAll(connector, TableName.parse("main.catalog"), RowFilter.above(Instant.EPOCH));

        assertThat(rows).extracting(row -> row.value(Column.ID).orElseThrow()).containsExactly("1", "2", "3");
        assertThat(rows).extracting(row -> row.value(Column.DELETED)).containsExactly(
                Optional.of("true"), Optional.of("false"), Optional.empty());
        assertThat(rows.get(2).value(Column.PAYLOAD)).isEmpty();
    }

    @Test
    void countMatchesRead() {
        createEvents("TIMESTAMP");
        TableSchema schema = connector.describe(EVENTS);

        assertThat(connector.count(EVENTS, schema, RowFilter.after(T1, T3))).isEqualTo(2);
        assertThat(connector.count(EVENTS, schema, RowFilter.at(T2))).isEqualTo(1);
        assertThat(connector.count(EVENTS, schema, RowFilter.nullUpdatedAt())).isEqualTo(1);
    }

    @Test
    void aMissingTableIsTableNotFound() {
        for (TableName missing : List.of(TableName.parse("main.nope"), TableName.parse("nope.events"),
                TableName.parse("nodb.main.events"))) {
            assertThatThrownBy(() -> connector.describe(missing))
                    .isInstanceOfSatisfying(CdiException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.TABLE_NOT_FOUND);
                        assertThat(e.getCause()).isInstanceOf(java.sql.SQLException.class);
                    })
                    .hasMessageContaining(missing.toString());
        }
        TableSchema schema = new TableSchema(Map.of(Column.UPDATED_AT, "TIMESTAMP"));
        assertThatThrownBy(() -> connector.count(TableName.parse("main.nope"), schema, RowFilter.nullUpdatedAt()))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TABLE_NOT_FOUND));
    }

    @Test
    void aTableNameWithAQuoteAndASemicolonIsQuotedNeverExecuted() throws Exception {
        database.execute("CREATE TABLE users (updated_at TIMESTAMP, external_id VARCHAR)",
                "CREATE TABLE \"x\"\"; DROP TABLE users; --\" (updated_at TIMESTAMP, external_id VARCHAR)",
                "INSERT INTO \"x\"\"; DROP TABLE users; --\" VALUES ('2026-01-01', 'odd')");
        TableName odd = new TableName(Optional.empty(), "main", "x\"; DROP TABLE users; --");

        assertThat(readAll(connector, odd, RowFilter.above(Instant.EPOCH))).singleElement()
                .satisfies(row -> assertThat(row.value(Column.EXTERNAL_ID)).contains("odd"));
        assertThat(connector.count(odd, connector.describe(odd), RowFilter.above(Instant.EPOCH))).isEqualTo(1);
        assertThatThrownBy(() -> connector.describe(new TableName(Optional.empty(), "main", "users\"; DROP TABLE users; --")))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TABLE_NOT_FOUND));
        try (Statement statement = database.connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT count(*) FROM users")) {
            assertThat(resultSet.next()).as("users still exists").isTrue();
        }
    }

    @Test
    void unsupportedColumnTypesAreNamed() {
        database.execute("CREATE TABLE bad_time (updated_at VARCHAR, payload VARCHAR)",
                "CREATE TABLE bad_payload (updated_at TIMESTAMP, payload INTEGER)",
                "CREATE TABLE bad_deleted (updated_at TIMESTAMP, id VARCHAR, payload VARCHAR, deleted VARCHAR)");

        assertThatThrownBy(() -> connector.describe(TableName.parse("main.bad_time")))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_COLUMN_TYPE))
                .hasMessageContainingAll("UPDATED_AT", "VARCHAR", "main.bad_time", "TIMESTAMP");
        assertThatThrownBy(() -> connector.describe(TableName.parse("main.bad_payload")))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_COLUMN_TYPE))
                .hasMessageContainingAll("PAYLOAD", "INTEGER");
        assertThatThrownBy(() -> connector.describe(TableName.parse("main.bad_deleted")))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_COLUMN_TYPE))
                .hasMessageContainingAll("DELETED", "BOOLEAN");
    }

    @Test
    void currentTimeIsTheDatabasesClock() {
        Instant now = connector.currentTime();

        assertThat(Duration.between(now, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void forConnectionSharesTheInMemoryDatabaseAndDoesNotCloseIt() throws Exception {
        SourceConnector other = DuckDbConnectorProvider.forConnection(database.connection);
        database.execute("CREATE TABLE events (updated_at TIMESTAMP, external_id VARCHAR)",
                "INSERT INTO events VALUES ('2026-01-01', 'u1')");

        assertThat(readAll(other, EVENTS, RowFilter.above(Instant.EPOCH))).hasSize(1);
        other.close();

        assertThat(database.connection.isClosed()).isFalse();
        database.execute("INSERT INTO events VALUES ('2026-01-02', 'u2')");
        assertThat(readAll(connector, EVENTS, RowFilter.above(Instant.EPOCH))).hasSize(2);
    }

    @Test
    void aStreamClosedEarlyReleasesItsConnection() {
        database.execute("CREATE TABLE events AS SELECT TIMESTAMP '2026-01-01' + to_microseconds(i) AS updated_at,"
                + " 'u' || i AS external_id FROM range(100000) t(i)");
        TableSchema schema = connector.describe(EVENTS);

        for (int i = 0; i < 3; i++) {
            try (RowStream stream = connector.read(new ReadRequest(EVENTS, schema, RowFilter.above(Instant.EPOCH),
                    OptionalLong.empty()))) {
                assertThat(stream.next().value(Column.EXTERNAL_ID)).contains("u0");
            }
        }
        assertThat(connector.count(EVENTS, schema, RowFilter.above(Instant.EPOCH))).isEqualTo(100_000);
    }

    private void assertSelects(RowFilter filter, String... externalIds) {
        List<SourceRow> rows = readAll(connector, EVENTS, filter);
        assertThat(rows).as("%s", filter).extracting(row -> row.value(Column.EXTERNAL_ID).orElseThrow())
                .containsExactly(externalIds);
        assertThat(connector.count(EVENTS, connector.describe(EVENTS), filter)).as("count of %s", filter)
                .isEqualTo(externalIds.length);
    }
}
