package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Drives {@link TestingSnowflakeServer} with the real Snowflake JDBC driver. */
class TestingSnowflakeServerTest {

    private static final String TABLE = "DB.PUBLIC.EVENTS";
    private static TestingSnowflakeServer snowflake;
    private static KeyPair key;

    @BeforeAll
    static void start() throws NoSuchAlgorithmException {
        snowflake = TestingSnowflakeServer.start();
        key = rsaKeyPair();
        snowflake.addUser("cdi", key.getPublic());
        snowflake.createTable(TABLE, "UPDATED_AT TIMESTAMP_NTZ(9), EXTERNAL_ID VARCHAR, PAYLOAD VARIANT,"
                + " SEEN_AT TIMESTAMP_LTZ(9), CHANGED_AT TIMESTAMP_TZ(9), ACTIVE BOOLEAN, AMOUNT NUMBER(10,2),"
                + " ATTRIBUTES OBJECT");
        snowflake.insert(TABLE,
                new Object[] {"2024-01-01 00:00:00.000000001", "a", "{\"b\": 1, \"a\": [1, 2]}",
                        "2024-01-01 00:00:00.123456+00", "2024-01-01 05:30:00+05:30", true, "12.50", "{\"k\":\"v\"}"},
                new Object[] {"2024-01-02 00:00:00.5", "b", null, null, null, false, "-1.00", null},
                new Object[] {"2024-01-03 00:00:00", "c", "[]", null, null, null, null, null},
                new Object[] {null, "d", "\"text\"", null, null, null, null, null});
    }

    @AfterAll
    static void stop() {
        snowflake.close();
    }

    static KeyPair rsaKeyPair() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static Connection connect(String user, KeyPair keyPair) throws SQLException {
        Properties properties = new Properties();
        properties.put("user", user);
        properties.put("privateKey", keyPair.getPrivate());
        return DriverManager.getConnection(snowflake.jdbcUrl("DB", "PUBLIC", TestingSnowflakeServer.DEFAULT_WAREHOUSE,
                "CDI_ROLE"), properties);
    }

    private static Connection connect() throws SQLException {
        return connect("CDI", key);
    }

    @Test
    void logsInWithTheKeyAndRunsAQuery() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM \"DB\".\"PUBLIC\".\"EVENTS\"")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(4);
            assertThat(connection.isValid(5)).isTrue();
        }
        assertThat(snowflake.unexpectedRequests()).isEmpty();
    }
    @Test
    void rotatesThroughBothKeySlots() throws Exception {
        KeyPair first = rsaKeyPair();
        KeyPair second = rsaKeyPair();
        snowflake.addUser("ROTATING", first.getPublic());
        connect("rotating", first).close();
        assertRefusedLogin("ROTATING", second);
        snowflake.setPublicKey("ROTATING", 2, Optional.of(second.getPublic()));
        connect("ROTATING", second).close();
        connect("ROTATING", first).close();
        snowflake.setPublicKey("ROTATING", 1, Optional.empty());
        connect("ROTATING", second).close();
        assertRefusedLogin("ROTATING", first);
    }

    @Test
    void refusesAWrongKeyAndAnUnknownUser() throws Exception {
        assertRefusedLogin("CDI", rsaKeyPair());
        assertRefusedLogin("NOBODY", key);
    }

    private static void assertRefusedLogin(String user, KeyPair keyPair) {
        assertThatThrownBy(() -> connect(user, keyPair).close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getClass().getName()).endsWith("SnowflakeSQLException");
                    assertThat(e.getErrorCode()).isEqualTo(390144);
                    assertThat(e.getSQLState()).isEqualTo("08001");
                    assertThat(e.getMessage()).startsWith("JWT token is invalid.");
                });
    }

    @Test
    void refusesPasswordLogin() {
        Properties properties = new Properties();
        properties.put("user", "CDI");
        properties.put("password", "secret");
        assertThatThrownBy(() -> DriverManager.getConnection(snowflake.jdbcUrl(), properties).close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(390100));
    }

    @Test
    void describesSnowflakeColumnTypes() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM \"DB\".\"PUBLIC\".\"EVENTS\" WHERE 1=0")) {
            assertThat(rows.next()).isFalse();
            ResultSetMetaData metaData = rows.getMetaData();
            List<String> described = new ArrayList<>();
            for (int i = 1; i <= metaData.getColumnCount(); i++) {
                described.add(metaData.getColumnName(i) + " " + metaData.getColumnTypeName(i) + " "
                        + metaData.getColumnType(i) + " " + metaData.getPrecision(i) + " " + metaData.getScale(i));
            }
            assertThat(described).containsExactly(
                    "UPDATED_AT TIMESTAMPNTZ " + Types.TIMESTAMP + " 27 9",
                    "EXTERNAL_ID VARCHAR " + Types.VARCHAR + " 16777216 0",
                    "PAYLOAD VARIANT " + Types.VARCHAR + " 16777216 0",
                    "SEEN_AT TIMESTAMPLTZ " + Types.TIMESTAMP + " 27 9",
                    "CHANGED_AT TIMESTAMPTZ " + Types.TIMESTAMP_WITH_TIMEZONE + " 27 9",
                    "ACTIVE BOOLEAN " + Types.BOOLEAN + " 0 0",
                    "AMOUNT NUMBER " + Types.DECIMAL + " 10 2",
                    "ATTRIBUTES OBJECT " + Types.VARCHAR + " 16777216 0");
        }
    }

    @Test
    void readsEpochNanosecondsAndJsonWithBinds() throws SQLException {
        String sql = "SELECT DATE_PART(EPOCH_NANOSECOND, \"UPDATED_AT\"), \"EXTERNAL_ID\", TO_JSON(\"PAYLOAD\"),"
                + " TO_JSON(\"ATTRIBUTES\"), \"ACTIVE\", \"AMOUNT\", DATE_PART(EPOCH_NANOSECOND, \"CHANGED_AT\")"
                + " FROM \"DB\".\"PUBLIC\".\"EVENTS\" WHERE \"UPDATED_AT\" >= CAST(? AS TIMESTAMP_NTZ(9))"
                + " AND \"UPDATED_AT\" <= CAST(? AS TIMESTAMP_NTZ(9)) ORDER BY \"UPDATED_AT\"";
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, "2024-01-01 00:00:00.000000001");
            statement.setString(2, "2024-01-02 00:00:00.5");
            List<String> read = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    read.add(rows.getLong(1) + " " + rows.getString(2) + " " + rows.getString(3) + " "
                            + rows.getString(4) + " " + rows.getObject(5) + " " + rows.getBigDecimal(6) + " "
                            + rows.getString(7));
                }
            }
            assertThat(read).containsExactly(
                    "1704067200000000001 a {\"b\":1,\"a\":[1,2]} {\"k\":\"v\"} true 12.50 1704067200000000000",
                    "1704153600500000000 b null null false -1.00 null");
            statement.setString(1, "2024-01-01 00:00:00.000000002");
            statement.setString(2, "2024-01-02 00:00:00.5");
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(2)).isEqualTo("b");
                assertThat(rows.next()).isFalse();
            }
        }
    }

    @Test
    void servesEachFilterShape() throws SQLException {
        String from = " FROM \"DB\".\"PUBLIC\".\"EVENTS\" WHERE ";
        assertThat(column("SELECT \"EXTERNAL_ID\"" + from + "\"UPDATED_AT\" > CAST(? AS TIMESTAMP_NTZ(9)) AND"
                + " \"UPDATED_AT\" < CAST(? AS TIMESTAMP_NTZ(9)) ORDER BY \"UPDATED_AT\"",
                "2024-01-01 00:00:00.000000001", "2024-01-03 00:00:00")).containsExactly("b");
        assertThat(column("SELECT \"EXTERNAL_ID\"" + from + "\"UPDATED_AT\" IS NULL")).containsExactly("d");
        assertThat(column("SELECT \"EXTERNAL_ID\"" + from + "\"UPDATED_AT\" IS NOT NULL ORDER BY \"UPDATED_AT\""
                + " LIMIT 2")).containsExactly("a", "b");
        assertThat(column("SELECT \"EXTERNAL_ID\"" + from + "\"CHANGED_AT\" >= CAST(? AS TIMESTAMP_TZ(9))",
                "2024-01-01 00:00:00.000000000+00:00")).containsExactly("a");
        assertThat(column("SELECT COUNT(*)" + from + "\"UPDATED_AT\" >= CAST(? AS TIMESTAMP_NTZ(9))",
                "2024-01-02 00:00:00")).containsExactly("2");
    }

    @Test
    void countsWithSumOfCase() throws SQLException {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement("SELECT SUM(CASE WHEN \"UPDATED_AT\" IS NULL"
                        + " THEN 1 ELSE 0 END), SUM(CASE WHEN \"UPDATED_AT\" >= CAST(? AS TIMESTAMP_NTZ(9)) THEN 1"
                        + " ELSE 0 END) FROM \"DB\".\"PUBLIC\".\"EVENTS\" WHERE (\"UPDATED_AT\" IS NULL) OR"
                        + " (\"UPDATED_AT\" >= CAST(? AS TIMESTAMP_NTZ(9)))")) {
            statement.setString(1, "2024-01-02 00:00:00");
            statement.setString(2, "2024-01-02 00:00:00");
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(1);
                assertThat(rows.getLong(2)).isEqualTo(2);
                assertThat(rows.getMetaData().getColumnTypeName(1)).isEqualTo("NUMBER");
            }
        }
    }

    private static List<String> column(String sql, String... binds) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < binds.length; i++) {
                statement.setString(i + 1, binds[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    @Test
    void readsTheFrozenWarehouseClockToTheNanosecond() throws SQLException {
        snowflake.freezeTimeAt(Instant.parse("2024-05-06T07:08:09.123456789Z"));
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT DATE_PART(EPOCH_NANOSECOND, SYSDATE())")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("1714979289123456789");
        } finally {
            snowflake.unfreezeTime();
        }
    }

    @Test
    void readsTimestampsThroughTheDriver() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT \"SEEN_AT\", \"CHANGED_AT\" FROM"
                        + " \"DB\".\"PUBLIC\".\"EVENTS\" WHERE \"EXTERNAL_ID\" = 'a'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getTimestamp(1).toInstant()).isEqualTo(Instant.parse("2024-01-01T00:00:00.123456Z"));
            assertThat(rows.getTimestamp(2).toInstant()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        }
    }

    @Test
    void streamsALargeResultThroughSeveralChunks() throws SQLException {
        snowflake.createTable("DB.PUBLIC.BIG", "UPDATED_AT TIMESTAMP_NTZ(9), EXTERNAL_ID VARCHAR, PAYLOAD VARIANT");
        snowflake.execute("INSERT INTO main.\"" + snowflake.duckDbTableName("DB.PUBLIC.BIG") + "\" SELECT"
                + " CAST('2024-01-01' AS TIMESTAMP_NS) + to_microseconds(i), 'id-' || i, '{\"n\":' || i || '}'"
                + " FROM range(100000) AS t(i)");
        int chunksBefore = snowflake.chunksServed();
        long count = 0;
        long lastNanos = Long.MIN_VALUE;
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT DATE_PART(EPOCH_NANOSECOND, \"UPDATED_AT\"),"
                        + " \"EXTERNAL_ID\", TO_JSON(\"PAYLOAD\") FROM \"DB\".\"PUBLIC\".\"BIG\" ORDER BY \"UPDATED_AT\"")) {
            while (rows.next()) {
                long nanos = rows.getLong(1);
                assertThat(nanos).isGreaterThan(lastNanos);
                assertThat(rows.getString(2)).isEqualTo("id-" + count);
                assertThat(rows.getString(3)).isEqualTo("{\"n\":" + count + "}");
                lastNanos = nanos;
                count++;
            }
        }
        assertThat(count).isEqualTo(100_000);
        assertThat(snowflake.chunksServed() - chunksBefore).isEqualTo(9);
    }

    @Test
    void refusesWhatItDoesNotUnderstandLoudly() {
        assertSqlError("SELECT * FROM \"DB\".\"PUBLIC\".\"EVENTS\" e JOIN \"DB\".\"PUBLIC\".\"EVENTS\" f", 1003,
                "42000", "does not understand");
        assertSqlError("DELETE FROM \"DB\".\"PUBLIC\".\"EVENTS\"", 1003, "42000", "does not understand");
        assertSqlError("SELECT CURRENT_TIMESTAMP()", 1003, "42000", "CURRENT_TIMESTAMP");
        assertSqlError("SELECT \"NOPE\" FROM \"DB\".\"PUBLIC\".\"EVENTS\"", 904, "42000", "invalid identifier");
    }

    @Test
    void refusesATableTheRoleMayNotReadAndAMissingOne() {
        snowflake.createTable("DB.PUBLIC.SECRET", "ID VARCHAR");
        snowflake.revokeSelect("CDI_ROLE", "DB.PUBLIC.SECRET");
        assertSqlError("SELECT * FROM \"DB\".\"PUBLIC\".\"SECRET\"", 2003, "42S02",
                "Object 'DB.PUBLIC.SECRET' does not exist or not authorized.");
        assertSqlError("SELECT * FROM \"DB\".\"PUBLIC\".\"MISSING\"", 2003, "42S02", "does not exist or not authorized");
    }

    @Test
    void resolvesNamesWithSnowflakeCaseRules() throws SQLException {
        snowflake.createTable("DB.PUBLIC.\"lower_case\"", "\"id\" VARCHAR, UPPER_COLUMN VARCHAR");
        snowflake.insert("DB.PUBLIC.\"lower_case\"", new Object[] {"x", "y"});
        assertThat(column("SELECT \"id\" FROM \"DB\".\"PUBLIC\".\"lower_case\"")).containsExactly("x");
        assertThat(column("SELECT upper_column FROM db.public.\"lower_case\"")).containsExactly("y");
        assertThat(column("SELECT COUNT(*) FROM db.public.events")).containsExactly("4");
        assertSqlError("SELECT * FROM DB.PUBLIC.LOWER_CASE", 2003, "42S02", "DB.PUBLIC.LOWER_CASE");
    }

    @Test
    void needsUsageOnTheWarehouse() {
        snowflake.addWarehouse("LOCKED_WH", TestingSnowflakeServer.WarehouseState.RUNNING);
        snowflake.revokeWarehouseUsage("CDI_ROLE", "LOCKED_WH");
        Properties properties = new Properties();
        properties.put("user", "CDI");
        properties.put("privateKey", key.getPrivate());
        assertThatThrownBy(() -> {
            try (Connection connection = DriverManager.getConnection(snowflake.jdbcUrl("DB", "PUBLIC", "LOCKED_WH",
                    "CDI_ROLE"), properties); Statement statement = connection.createStatement()) {
                statement.executeQuery("SELECT COUNT(*) FROM \"DB\".\"PUBLIC\".\"EVENTS\"").close();
            }
        }).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo(606);
            assertThat(e.getSQLState()).isEqualTo("57P03");
            assertThat(e.getMessage()).contains("No active warehouse selected");
        });
    }

    @Test
    void resumesASuspendedWarehouse() throws SQLException {
        snowflake.addWarehouse("SLEEPY_WH", TestingSnowflakeServer.WarehouseState.SUSPENDED);
        int resumesBefore = snowflake.warehouseResumes();
        Properties properties = new Properties();
        properties.put("user", "CDI");
        properties.put("privateKey", key.getPrivate());
        try (Connection connection = DriverManager.getConnection(snowflake.jdbcUrl("DB", "PUBLIC", "SLEEPY_WH",
                "CDI_ROLE"), properties);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM \"DB\".\"PUBLIC\".\"EVENTS\"")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(4);
        }
        assertThat(snowflake.warehouseResumes()).isEqualTo(resumesBefore + 1);
        assertThat(snowflake.warehouseState("SLEEPY_WH")).isEqualTo(TestingSnowflakeServer.WarehouseState.RUNNING);
    }

    @Test
    void cancelsAQueryWaitingForItsWarehouse() throws Exception {
        snowflake.addWarehouse("FROZEN_WH", TestingSnowflakeServer.WarehouseState.SUSPENDED);
        snowflake.setAutoResumeDelay(Duration.ofMinutes(5));
        Properties properties = new Properties();
        properties.put("user", "CDI");
        properties.put("privateKey", key.getPrivate());
        try (Connection connection = DriverManager.getConnection(snowflake.jdbcUrl("DB", "PUBLIC", "FROZEN_WH",
                "CDI_ROLE"), properties); Statement statement = connection.createStatement()) {
            CompletableFuture<Void> query = CompletableFuture.runAsync(() -> {
                try {
                    statement.executeQuery("SELECT COUNT(*) FROM \"DB\".\"PUBLIC\".\"EVENTS\"").close();
                } catch (SQLException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            TestingAwait.until("the query waits for its warehouse", () -> snowflake.runningQueries() == 1);
            statement.cancel();
            assertThatThrownBy(() -> query.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e.getCause()).getErrorCode()).isEqualTo(604));
        } finally {
            snowflake.setAutoResumeDelay(Duration.ofMillis(200));
        }
    }

    @Test
    void recordsQueryTagsAndClosesSessions() throws SQLException {
        int sessionsBefore = snowflake.openSessions();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            assertThat(snowflake.openSessions()).isEqualTo(sessionsBefore + 1);
            statement.execute("ALTER SESSION SET QUERY_TAG = 'cdi:orders-to-crm'");
            statement.executeQuery("SELECT COUNT(*) FROM \"DB\".\"PUBLIC\".\"EVENTS\" WHERE 1=0").close();
        }
        assertThat(snowflake.openSessions()).isEqualTo(sessionsBefore);
        assertThat(snowflake.queryHistory()).anySatisfy(entry -> {
            assertThat(entry.queryText()).isEqualTo("SELECT COUNT(*) FROM \"DB\".\"PUBLIC\".\"EVENTS\" WHERE 1=0");
            assertThat(entry.queryTag()).isEqualTo("cdi:orders-to-crm");
            assertThat(entry.userName()).isEqualTo("CDI");
            assertThat(entry.roleName()).isEqualTo("CDI_ROLE");
            assertThat(entry.executionStatus()).isEqualTo("SUCCESS");
        });
    }

    @Test
    void servesTheTablesOfADuckDbFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
            throws SQLException {
        java.nio.file.Path file = directory.resolve("data.duckdb");
        try (Connection duckDb = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = duckDb.createStatement()) {
            statement.execute("CREATE TABLE users (updated_at TIMESTAMP, external_id VARCHAR, payload JSON,"
                    + " attributes STRUCT(k VARCHAR))");
            statement.execute("INSERT INTO users VALUES ('2024-01-01 00:00:00.25', 'u1', '{\"x\":1}', {'k': 'v'})");
        }
        assertThat(snowflake.attach(file, "FILEDB")).containsExactly("FILEDB.PUBLIC.USERS");
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT DATE_PART(EPOCH_NANOSECOND, \"UPDATED_AT\"),"
                        + " \"EXTERNAL_ID\", TO_JSON(\"PAYLOAD\"), TO_JSON(\"ATTRIBUTES\") FROM"
                        + " \"FILEDB\".\"PUBLIC\".\"USERS\"")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(1704067200250000000L);
            assertThat(rows.getString(2)).isEqualTo("u1");
            assertThat(rows.getString(3)).isEqualTo("{\"x\":1}");
            assertThat(rows.getString(4)).isEqualTo("{\"k\":\"v\"}");
        }
    }

    private static void assertSqlError(String sql, int code, String sqlState, String messagePart) {
        assertThatThrownBy(() -> {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.executeQuery(sql).close();
            }
        }).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getClass().getName()).endsWith("SnowflakeSQLException");
            assertThat(e.getErrorCode()).isEqualTo(code);
            assertThat(e.getSQLState()).isEqualTo(sqlState);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }
}
