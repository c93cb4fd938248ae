package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import com.microsoft.sqlserver.jdbc.SQLServerException;
import com.microsoft.sqlserver.jdbc.SqlAuthenticationToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Microsoft's real SQL Server driver against {@link TestingFabricServer}, without the connector. */
class TestingFabricServerTest {
    private static TestingFabricServer server;

    @BeforeAll
    static void start() {
        server = TestingFabricServer.start();
        server.execute("CREATE TABLE [dbo].[typed] (UPDATED_AT DATETIME2(6), ZONED DATETIMEOFFSET(6),"
                + " EXTERNAL_ID VARCHAR(200), PAYLOAD VARCHAR(MAX), DELETED BIT, N BIGINT)");
        server.insert("[dbo].[typed]", List.of(
                new Object[] {LocalDateTime.parse("2024-01-01T00:00:02.000246"),
                    OffsetDateTime.parse("2024-01-01T02:00:02.000246+02:00"), "u1", "{\"name\":\"Zoë\"}", true, 5L},
                new Object[] {null, null, null, null, null, null}));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Connection connect() throws SQLException {
        return connect(server.issueToken(server.servicePrincipal()));
    }

    private static Connection connect(String token) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("accessToken", token);
        return new com.microsoft.sqlserver.jdbc.SQLServerDriver().connect(server.jdbcUrl(), properties);
    }

    @Test
    void aTokenLoginReadsTypedRowsThroughABatch() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM [dbo].[typed] ORDER BY N DESC")) {
            assertThat(rows.getMetaData().getColumnTypeName(1)).isEqualTo("datetime2");
            assertThat(rows.getMetaData().getColumnTypeName(2)).isEqualTo("datetimeoffset");
            assertThat(rows.getMetaData().getColumnTypeName(3)).isEqualTo("varchar");
            assertThat(rows.getMetaData().getColumnTypeName(5)).isEqualTo("bit");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getObject(1, LocalDateTime.class)).isEqualTo(LocalDateTime.parse("2024-01-01T00:00:02.000246"));
            assertThat(rows.getObject(2, OffsetDateTime.class).toInstant())
                    .isEqualTo(OffsetDateTime.parse("2024-01-01T00:00:02.000246Z").toInstant());
            assertThat(rows.getString(3)).isEqualTo("u1");
            assertThat(rows.getString(4)).isEqualTo("{\"name\":\"Zoë\"}");
            assertThat(rows.getBoolean(5)).isTrue();
            assertThat(rows.getLong(6)).isEqualTo(5);
            assertThat(rows.next()).isTrue();
            assertThat(rows.getObject(1)).isNull();
            assertThat(rows.getString(4)).isNull();
            assertThat(rows.getObject(5)).isNull();
            assertThat(rows.next()).isFalse();
        }
        assertThat(server.unexpectedRequests()).isEmpty();
    }

    @Test
    void textCanBeSentAsNvarchar() throws SQLException {
        server.setTextAsNvarchar(true);
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT EXTERNAL_ID, PAYLOAD FROM [dbo].[typed] ORDER BY N DESC")) {
            assertThat(rows.getMetaData().getColumnTypeName(1)).isEqualTo("nvarchar");
            assertThat(rows.getMetaData().getColumnTypeName(2)).isEqualTo("nvarchar");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("u1");
            assertThat(rows.getString(2)).isEqualTo("{\"name\":\"Zoë\"}");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(2)).isNull();
        } finally {
            server.setTextAsNvarchar(false);
        }
    }

    @Test
    void preparedStatementsRunThroughExecuteSqlThenPrepExecThenExecute() throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT COUNT_BIG(*) FROM [dbo].[typed] WHERE UPDATED_AT >= ? AND EXTERNAL_ID = ?"
                        + " OPTION (LABEL = 'cdi:test')")) {
            for (int i = 0; i < 3; i++) {
                statement.setObject(1, LocalDateTime.parse("2024-01-01T00:00:02.000246"));
                statement.setString(2, "u1");
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).isEqualTo(1);
                }
            }
            statement.setObject(1, OffsetDateTime.of(2024, 1, 1, 0, 0, 2, 246_001_000, ZoneOffset.UTC));
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).as("a datetimeoffset bound compares as its instant").isZero();
            }
        }
        assertThat(server.queryHistory()).filteredOn(entry -> entry.queryText().contains("COUNT_BIG"))
                .allSatisfy(entry -> assertThat(entry.label()).contains("cdi:test"));
        assertThat(server.unexpectedRequests()).isEmpty();
    }

    @Test
    void requestsSplitIntoSmallPacketsAreReassembled() throws SQLException {
        server.setPacketSize(512);
        try (Connection connection = connect()) {
            StringBuilder sql = new StringBuilder("SELECT COUNT_BIG(*) FROM [dbo].[typed] WHERE EXTERNAL_ID IN (?");
            for (int i = 1; i < 300; i++) {
                sql.append(", ?");
            }
            sql.append(')');
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                for (int i = 1; i <= 300; i++) {
                    statement.setString(i, i == 300 ? "u1" : "nobody-" + "x".repeat(40) + i);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).as("a request of about 30 KB in 512-byte packets").isEqualTo(1);
                }
            }
        } finally {
            server.setPacketSize(0);
        }
        assertThat(server.unexpectedRequests()).isEmpty();
    }

    @Test
    void aTokenTheFakeDidNotIssueIsRefusedWith18456() {
        assertThatThrownBy(() -> connect("not-a-token").close()).isInstanceOfSatisfying(SQLServerException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo(18456);
            assertThat(e.getMessage()).contains("Login failed for user '<token-identified principal>'");
        });
    }

    @Test
    void theAccessTokenCallbackGetsTheSpnAndAuthorityFromFedAuthInfo() throws SQLException {
        AtomicReference<String> seen = new AtomicReference<>();
        SQLServerDataSource dataSource = new SQLServerDataSource();
        dataSource.setURL(server.jdbcUrl());
        dataSource.setAccessTokenCallback((spn, stsUrl) -> {
            seen.set(spn + " " + stsUrl);
            return new SqlAuthenticationToken(server.issueToken(server.servicePrincipal()),
                    System.currentTimeMillis() + 3_600_000);
        });
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT SYSUTCDATETIME()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getObject(1, LocalDateTime.class)).isNotNull();
        }
        assertThat(seen.get()).isEqualTo(TestingFabricServer.SPN + " " + server.authorityHost() + server.tenantId());
    }

    @Test
    void errorsKeepSqlServerNumbersAndTheConnectionStaysUsable() throws SQLException {
        TestingFabricServer.ServicePrincipal other = server.addServicePrincipal();
        server.denySelect(other.clientId(), "typed");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM [dbo].[missing]"))
                    .isInstanceOfSatisfying(SQLServerException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(208);
                        assertThat(e.getSQLState()).isEqualTo("S0002");
                    });
            assertThatThrownBy(() -> statement.executeQuery("SELECT nope FROM [dbo].[typed]"))
                    .isInstanceOfSatisfying(SQLServerException.class, e -> assertThat(e.getErrorCode()).isEqualTo(207));
            try (PreparedStatement prepared = connection.prepareStatement("SELECT * FROM [dbo].[missing] WHERE 1 = ?")) {
                prepared.setLong(1, 1);
                assertThatThrownBy(prepared::executeQuery).isInstanceOfSatisfying(SQLServerException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(208));
            }
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM [dbo].[typed]")) {
                assertThat(rows.next()).isTrue();
            }
        }
        try (Connection connection = connect(server.issueToken(other)); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM [dbo].[typed]"))
                    .isInstanceOfSatisfying(SQLServerException.class, e -> assertThat(e.getErrorCode()).isEqualTo(229));
        }
    }

    @Test
    void aQueryTimeoutSendsAnAttentionThatIsAcknowledged() throws SQLException {
        int attentions = server.attentionsReceived();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(1);
            assertThatThrownBy(() -> statement.execute("WAITFOR DELAY '00:00:20'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("timed out");
            statement.setQueryTimeout(0);
            try (ResultSet rows = statement.executeQuery("SELECT 1")) {
                assertThat(rows.next()).isTrue();
            }
        }
        assertThat(server.attentionsReceived()).isGreaterThan(attentions);
    }

    @Test
    void aLargeResultCrossesManySmallPacketsAndCancelStopsIt() throws Exception {
        server.execute("CREATE TABLE [dbo].[big] (UPDATED_AT DATETIME2(6), EXTERNAL_ID VARCHAR(50), PAYLOAD VARCHAR(MAX))",
                "INSERT INTO [dbo].[big] SELECT DATEADD(SECOND, X, CAST('2024-01-01' AS DATETIME2)), 'u' || X,"
                        + " REPEAT('é', 3000) FROM SYSTEM_RANGE(1, 4000)");
        server.setPacketSize(512);
        long packets = server.packetsSent();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            long count = 0;
            try (ResultSet rows = statement.executeQuery("SELECT * FROM [dbo].[big] ORDER BY UPDATED_AT")) {
                while (rows.next()) {
                    assertThat(rows.getString(3)).hasSize(3000);
                    count++;
                }
            }
            assertThat(count).isEqualTo(4000);
            assertThat(server.packetsSent() - packets).isGreaterThan(4000L * 6000 / 512);

            int attentions = server.attentionsReceived();
            List<String> read = new ArrayList<>();
            SQLException cancelled = null;
            try (ResultSet rows = statement.executeQuery("SELECT EXTERNAL_ID, PAYLOAD FROM [dbo].[big] ORDER BY UPDATED_AT")) {
                rows.next();
                read.add(rows.getString(1));
                statement.cancel();
                while (rows.next()) {
                    read.add(rows.getString(1));
                }
            } catch (SQLException e) {
                cancelled = e;
            }
            assertThat((Throwable) cancelled).isNotNull().hasMessageContaining("canceled");
            assertThat(read).hasSizeLessThan(4000);
            assertThat(server.attentionsReceived()).isGreaterThan(attentions);
            try (ResultSet rows = statement.executeQuery("SELECT COUNT_BIG(*) FROM [dbo].[big]")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(4000);
            }
        } finally {
            server.setPacketSize(0);
        }
    }
}
