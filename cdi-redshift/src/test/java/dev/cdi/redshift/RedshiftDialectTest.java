package dev.cdi.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.redshift.internal.TunnelSocketFactory;
import dev.cdi.testkit.TestingRedshiftServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RedshiftDialectTest {
    private final RedshiftDialect dialect = new RedshiftDialect();

    @Test
    void selectsTimestampsAsUtcTextAndComparesWithTheColumnsOwnType() {
        assertThat(dialect.selectUpdatedAt("\"updated_at\"", "timestamptz"))
                .isEqualTo("to_char(\"updated_at\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')");
        assertThat(dialect.selectUpdatedAt("\"updated_at\"", "timestamp"))
                .isEqualTo("to_char(\"updated_at\", 'YYYY-MM-DD HH24:MI:SS.US')");
        assertThat(dialect.updatedAtParameter("timestamptz")).isEqualTo("CAST(? AS TIMESTAMPTZ)");
        assertThat(dialect.updatedAtParameter("timestamp without time zone")).isEqualTo("CAST(? AS TIMESTAMP)");
        assertThat(dialect.isUpdatedAtType("date")).isFalse();
        assertThat(dialect.isPayloadType("super")).isTrue();
        assertThat(dialect.isPayloadType("jsonb")).isFalse();
    }

    @Test
    void parsesTimestampTextExactly() throws SQLException {
        assertThat(RedshiftDialect.parseUtc("2026-01-02 03:04:05.123456")).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
        assertThat(RedshiftDialect.parseUtc("1969-12-31 23:59:59.999999")).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
        assertThat(RedshiftDialect.parseUtc("0001-01-01 00:00:00.000000")).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
        assertThat(RedshiftDialect.parseUtc("10000-01-01 00:00:00.000001")).isEqualTo(Instant.parse("+10000-01-01T00:00:00.000001Z"));
        for (String bad : new String[] {"2026-01-02 03:04:05", "2026-01-02T03:04:05.123456", "2026-13-02 03:04:05.123456",
                "2026-01-02 24:04:05.123456", "2026-01-02 03:04:05.12345x", "infinity", ""}) {
            assertThatThrownBy(() -> RedshiftDialect.parseUtc(bad)).as(bad).isInstanceOf(SQLException.class)
                    .hasMessageContaining("YYYY-MM-DD HH24:MI:SS.US");
        }
    }

    @Test
    void readsTheCurrentTimeOnlyInUtc() throws SQLException {
        TestingRedshiftServer server = TestingRedshift.server();
        Properties properties = new Properties();
        properties.setProperty("user", server.user());
        properties.setProperty("password", server.password());
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), properties);
                Statement statement = connection.createStatement()) {
            try (ResultSet resultSet = statement.executeQuery("SELECT 'Sun Nov 29 07:51:20.929698 2026 UTC'")) {
                resultSet.next();
                assertThat(dialect.readCurrentTime(resultSet)).isEqualTo(Instant.parse("2026-11-29T07:51:20.929698Z"));
            }
            try (ResultSet resultSet = statement.executeQuery("SELECT 'Fri Jan 02 03:04:05.000001 2026 UTC'")) {
                resultSet.next();
                assertThat(dialect.readCurrentTime(resultSet)).isEqualTo(Instant.parse("2026-01-02T03:04:05.000001Z"));
            }
            try (ResultSet resultSet = statement.executeQuery("SELECT 'Sat Nov 28 23:51:20.926187 2026 PST'")) {
                resultSet.next();
                assertThatThrownBy(() -> dialect.readCurrentTime(resultSet)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("UTC");
            }
            statement.execute(RedshiftDialect.SESSION_TIME_ZONE_SQL);
            try (ResultSet resultSet = statement.executeQuery(dialect.currentTimeQuery())) {
                resultSet.next();
                assertThat(dialect.readCurrentTime(resultSet)).isBetween(Instant.now().minusSeconds(5),
                        Instant.now().plusSeconds(5));
            }
        }
    }

    /** The driver asks for the cluster's address; the socket goes to the tunnel's local end instead. */
    @Test
    void tunnelSocketsConnectToTheTunnelWhateverAddressTheyAreGiven() throws IOException {
        try (ServerSocket tunnelEnd = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            TunnelSocketFactory factory = new TunnelSocketFactory(
                    TunnelSocketFactory.argument("127.0.0.1", tunnelEnd.getLocalPort()));
            try (Socket socket = factory.createSocket()) {
                socket.connect(InetSocketAddress.createUnresolved("cluster.example.com", 5439), 2_000);
                try (Socket accepted = tunnelEnd.accept()) {
                    assertThat(accepted.getPort()).isEqualTo(socket.getLocalPort());
                }
            }
            try (Socket socket = factory.createSocket("cluster.example.com", 5439);
                    Socket accepted = tunnelEnd.accept()) {
                assertThat(accepted.getPort()).isEqualTo(socket.getLocalPort());
            }
        }
        assertThatThrownBy(() -> new TunnelSocketFactory("no-port")).isInstanceOf(IllegalArgumentException.class);
    }
}
