package dev.cdi.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.redshift.internal.TunnelSocketFactory;
import dev.cdi.sql.ColumnMapping;
import dev.cdi.sql.CurrentTimeQuery;
import dev.cdi.sql.SourceType;
import dev.cdi.sql.TimestampComparison;
import dev.cdi.sql.ValueForm;
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
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RedshiftDialectTest {
    private final RedshiftDialect dialect = new RedshiftDialect();

    @Test
    void selectsTimestampsAsUtcTextAndComparesWithTheColumnsOwnType() {
        ColumnMapping zoned = dialect.updatedAtMapping(SourceType.of("timestamptz")).orElseThrow();
        assertThat(zoned.select().render("\"updated_at\""))
                .isEqualTo("to_char(\"updated_at\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')");
        assertThat(zoned.readAs()).isEqualTo(ValueForm.UTC_TEXT);
        assertThat(zoned.comparison()).contains(new TimestampComparison(ChronoUnit.MICROS, true, "TIMESTAMPTZ"));
        ColumnMapping plain = dialect.updatedAtMapping(SourceType.of("timestamp without time zone")).orElseThrow();
        assertThat(plain.select().render("\"updated_at\"")).isEqualTo("to_char(\"updated_at\", 'YYYY-MM-DD HH24:MI:SS.US')");
        assertThat(plain.comparison()).contains(new TimestampComparison(ChronoUnit.MICROS, false, "TIMESTAMP"));
        assertThat(dialect.updatedAtMapping(SourceType.of("date"))).isEmpty();
        assertThat(dialect.payloadMapping(SourceType.of("super"))).isPresent();
        assertThat(dialect.payloadMapping(SourceType.of("integer"))).isEmpty();
    }

    @Test
    void aJsonbPayloadIsRefusedWithTheAdviceToCastItInAView() {
        assertThatThrownBy(() -> dialect.payloadMapping(SourceType.of("jsonb")))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_COLUMN_TYPE))
                .hasMessageContainingAll("jsonb", "CREATE VIEW");
    }

    @Test
    void readsTheCurrentTimeOnlyInUtc() throws SQLException {
        assertThat(RedshiftDialect.parseTimeOfDay("Sun Nov 29 07:51:20.929698 2026 UTC"))
                .isEqualTo(Instant.parse("2026-11-29T07:51:20.929698Z"));
        assertThat(RedshiftDialect.parseTimeOfDay("Fri Jan 02 03:04:05.000001 2026 UTC"))
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.000001Z"));
        assertThatThrownBy(() -> RedshiftDialect.parseTimeOfDay("Sat Nov 28 23:51:20.926187 2026 PST"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UTC");
        TestingRedshiftServer server = TestingRedshift.server();
        Properties properties = new Properties();
        properties.setProperty("user", server.user());
        properties.setProperty("password", server.password());
        CurrentTimeQuery query = dialect.currentTimeQuery();
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), properties);
                Statement statement = connection.createStatement()) {
            statement.execute(RedshiftDialect.SESSION_TIME_ZONE_SQL);
            try (ResultSet resultSet = statement.executeQuery(query.sql())) {
                resultSet.next();
                assertThat(query.readAs()).isEqualTo(ValueForm.TEXT);
                assertThat(query.textParser().apply(resultSet.getString(1))).isBetween(Instant.now().minusSeconds(5),
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
