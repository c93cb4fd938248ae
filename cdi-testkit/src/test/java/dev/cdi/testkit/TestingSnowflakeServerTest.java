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
}
