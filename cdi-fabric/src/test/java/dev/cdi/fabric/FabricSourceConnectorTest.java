package dev.cdi.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.core.ConnectionTestResult;
import dev.cdi.core.ConnectionTester;
import dev.cdi.core.ConnectorRegistry;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.InMemoryStateStore;
import dev.cdi.testkit.RecordingSink;
import dev.cdi.testkit.TestingFabricServer;
import dev.cdi.testkit.TestingFabricServer.ServicePrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What is particular to Fabric, on the real driver and the real Entra credential against the fakes. */
class FabricSourceConnectorTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final RowFilter EVERYTHING = RowFilter.between(Optional.empty(), Instant.parse("2030-01-01T00:00:00Z"));

    private static TableName newTable(String columns, int rows) {
        String name = "fabric_" + TABLES.incrementAndGet();
        TestingFabricServer server = TestingFabric.server();
        server.execute("CREATE TABLE [dbo].[" + name + "] (" + columns + ")");
        if (rows > 0) {
            server.execute("INSERT INTO [dbo].[" + name + "] (UPDATED_AT, EXTERNAL_ID, PAYLOAD) SELECT"
                    + " DATEADD(SECOND, X, CAST('2026-01-02 03:04:05.123456' AS DATETIME2(6))), 'u' || X, '{}'"
                    + " FROM SYSTEM_RANGE(1, " + rows + ")");
        }
        return TableName.parse("dbo." + name);
    }

    private static List<SourceRow> readAll(SourceConnector connector, TableName table) {
        TableSchema schema = connector.describe(table);
        List<SourceRow> rows = new ArrayList<>();
        try (RowStream stream = connector.read(new ReadRequest(table, schema, EVERYTHING, OptionalLong.empty()))) {
            stream.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void aWrongClientSecretIsAuthenticationWithEntrasCodeAndAdviceToRotate() {
        Map<String, String> settings = TestingFabric.settings();
        String right = settings.get("clientSecret");
        settings.put("clientSecret", "wrong~secret-value");
        try (SourceConnector connector = TestingFabric.open(settings)) {
            assertThatThrownBy(connector::currentTime).isInstanceOfSatisfying(CdiException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
                assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
                assertThat(e.retryable()).isFalse();
            }).hasMessageContaining("AADSTS7000215").hasMessageContaining("Entra secrets always expire")
                    .hasMessageContaining("Rotate it").hasMessageContaining(settings.get("clientId"))
                    .hasMessageNotContaining("wrong~secret-value").hasMessageNotContaining(right);
        }
        assertThat(connectorToString(settings)).doesNotContain("wrong~secret-value");
    }

    private static String connectorToString(Map<String, String> settings) {
        try (SourceConnector connector = TestingFabric.open(settings)) {
            return connector + " " + FabricSettings.parse(TestingFabric.connectorSettings(settings));
        }
    }

    @Test
    void theServersCertificateIsCheckedInBothEncryptionModes() {
        for (String encrypt : List.of("mandatory", "strict")) {
            Map<String, String> settings = TestingFabric.settings();
            settings.put("encrypt", encrypt);
            try (SourceConnector connector = TestingFabric.open(settings)) {
                assertThat(connector.currentTime()).as("%s, trusting the fake's certificate", encrypt).isNotNull();
            }
            // The fake's certificate is self-signed: with the JVM's certificate authorities the TLS handshake fails.
            // TLS comes before the token is asked for, so the failure is the handshake's.
            settings.remove("trustedCertificate");
            try (SourceConnector connector = TestingFabric.open(settings)) {
                assertThatThrownBy(connector::currentTime).as("%s, without trusting it", encrypt)
                        .isInstanceOfSatisfying(CdiException.class,
                                e -> assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTIVITY))
                        .hasMessageContaining("PKIX path building failed");
            }
        }
    }

    @Test
    void anUnreachableWarehouseIsRetryableConnectivity() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> settings = TestingFabric.settings();
        settings.put("port", Integer.toString(closedPort));
        try (SourceConnector connector = TestingFabric.open(settings)) {
            assertThatThrownBy(connector::currentTime).isInstanceOfSatisfying(CdiException.class, e -> {
                assertThat(e.category()).isEqualTo(ErrorCategory.CONNECTIVITY);
                assertThat(e.retryable()).isTrue();
            });
        }
    }

    @Test
    void anUnknownApplicationIsAuthenticationNamingTheClientId() {
        Map<String, String> settings = TestingFabric.settings();
        settings.put("clientId", "00000000-0000-0000-0000-000000000001");
        try (SourceConnector connector = TestingFabric.open(settings)) {
            assertThatThrownBy(connector::currentTime).isInstanceOfSatisfying(CdiException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
                    .hasMessageContaining("AADSTS700016").hasMessageContaining("check clientId");
        }
    }

    @Test
    void anExpiredTokenIsRefusedByTheWarehouseWith18456AndTheTenantPrerequisitesAsAdvice() {
        TestingFabricServer server = TestingFabric.server();
        int refused = server.loginsRefused();
        server.setTokenLifetime(Duration.ofSeconds(-60));
        try (SourceConnector connector = TestingFabric.open()) {
            assertThatThrownBy(connector::currentTime).isInstanceOfSatisfying(CdiException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
                    .hasMessageContaining("vendor code 18456")
                    .hasMessageContaining("Service principals can use Fabric APIs")
                    .hasMessageContaining("Contributor");
        } finally {
            server.setTokenLifetime(Duration.ofHours(1));
        }
        assertThat(server.loginsRefused()).isGreaterThan(refused);
    }

    @Test
    void theConnectionTestNamesTheTenantPrerequisitesWhenTheLoginOrAReadIsRefused() {
        TestingFabricServer server = TestingFabric.server();
        TableName table = newTable("UPDATED_AT DATETIME2(6), EXTERNAL_ID VARCHAR(100), PAYLOAD VARCHAR(MAX)", 1);
        SyncSpec spec = SyncSpec.builder().integration("preview")
                .connector(FabricConnectorProvider.NAME, TestingFabric.connectorSettings(TestingFabric.settings()))
                .table(table.toString()).dataType(DataType.ATTRIBUTES).build();
        ConnectionTester tester = new ConnectionTester(ConnectorRegistry.of(List.of(new FabricConnectorProvider())));
        server.setTokenLifetime(Duration.ofSeconds(-60));
        try (SourceConnector connector = TestingFabric.open()) {
            assertThat(tester.test(spec, connector, 5)).isInstanceOfSatisfying(ConnectionTestResult.Failed.class,
                    failed -> {
                        assertThat(failed.error().code().category()).isEqualTo(ErrorCategory.AUTHENTICATION);
                        assertThat(failed.error().message()).contains("Service principals can use Fabric APIs",
                                "apps external to Fabric", "Contributor");
                    });
        } finally {
            server.setTokenLifetime(Duration.ofHours(1));
        }
        ServicePrincipal limited = server.addServicePrincipal();
        server.denySelect(limited.clientId(), table.table());
        try (SourceConnector connector = TestingFabric.open(TestingFabric.settings(limited))) {
            assertThat(tester.test(spec, connector, 5)).isInstanceOfSatisfying(ConnectionTestResult.Failed.class,
                    failed -> {
                        assertThat(failed.error().code().category()).isEqualTo(ErrorCategory.PERMISSIONS);
                        assertThat(failed.error().message()).contains("GRANT SELECT ON [dbo].[" + table.table() + "]",
                                "Contributor");
                    });
        }
    }

    @Test
    void aTokenIsCachedAcrossConnectionsAndARefusedOneIsDroppedForANewOne() {
        TestingFabricServer server = TestingFabric.server();
        TableName table = newTable("UPDATED_AT DATETIME2(6), EXTERNAL_ID VARCHAR(100), PAYLOAD VARCHAR(MAX)", 3);
        try (SourceConnector connector = TestingFabric.open()) {
            int before = server.tokenRequests();
            TableSchema schema = connector.describe(table);
            // Two connections at once: the open stream holds one while the count takes another.
            try (RowStream stream = connector.read(new ReadRequest(table, schema, EVERYTHING, OptionalLong.empty()))) {
                assertThat(connector.count(table, schema, EVERYTHING)).isEqualTo(3);
                assertThat(stream.hasNext()).isTrue();
            }
            assertThat(server.tokenRequests() - before).as("one token for the pool").isEqualTo(1);
        }

        FabricTokens tokens = FabricTokens.of(FabricSettings.parse(TestingFabric.connectorSettings(
                TestingFabric.settings())));
        FabricDriver driver = new FabricDriver(tokens);
        String url = FabricConnections.jdbcUrl(FabricSettings.parse(TestingFabric.connectorSettings(
                TestingFabric.settings())));
        assertThatCode(() -> driver.connect(url, new java.util.Properties()).close());
        server.revokeTokens();
        assertThatThrownBy(() -> driver.connect(url, new java.util.Properties()).close())
                .isInstanceOfSatisfying(java.sql.SQLException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(FabricErrors.LOGIN_FAILED));
        int before = server.tokenRequests();
        assertThatCode(() -> driver.connect(url, new java.util.Properties()).close());
        assertThat(server.tokenRequests()).as("the refused token was dropped").isEqualTo(before + 1);
    }

    private static void assertThatCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable callable) {
        org.assertj.core.api.Assertions.assertThatCode(callable).doesNotThrowAnyException();
    }

    @Test
    void aMissingPrivilegeIsPermissionsNamingTheGrant() {
        TableName table = newTable("UPDATED_AT DATETIME2(6), EXTERNAL_ID VARCHAR(100), PAYLOAD VARCHAR(MAX)", 1);
        ServicePrincipal limited = TestingFabric.server().addServicePrincipal();
        TestingFabric.server().denySelect(limited.clientId(), table.table());
        try (SourceConnector connector = TestingFabric.open(TestingFabric.settings(limited))) {
            assertThatThrownBy(() -> connector.describe(table)).isInstanceOfSatisfying(CdiException.class,
                    e -> assertThat(e.category()).isEqualTo(ErrorCategory.PERMISSIONS))
                    .hasMessageContaining("vendor code 229")
                    .hasMessageContaining("GRANT SELECT ON [dbo].[" + table.table() + "]");
        }
    }

    @Test
    void aMissingTableIs208AndAColumnDroppedSinceDescribeIs207() {
        try (SourceConnector connector = TestingFabric.open()) {
            assertThatThrownBy(() -> connector.describe(TableName.parse("dbo.no_such_table")))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TABLE_NOT_FOUND))
                    .hasMessageContaining("vendor code 208");

            TableName table = newTable("UPDATED_AT DATETIME2(6), EXTERNAL_ID VARCHAR(100), PAYLOAD VARCHAR(MAX),"
                    + " EMAIL VARCHAR(100)", 1);
            TableSchema schema = connector.describe(table);
            TestingFabric.server().execute("ALTER TABLE [dbo].[" + table.table() + "] DROP COLUMN EMAIL");
            assertThatThrownBy(() -> connector.read(new ReadRequest(table, schema, EVERYTHING, OptionalLong.empty()))
                    .close())
                    .isInstanceOfSatisfying(CdiException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.MISSING_COLUMN);
                        assertThat(e.category()).isEqualTo(ErrorCategory.SCHEMA);
                    }).hasMessageContaining("vendor code 207");
        }
    }

    @Test
    void anUnsupportedTypeIsRefusedWhenTheTableIsDescribed() {
        TableName table = newTable("UPDATED_AT DATE, EXTERNAL_ID VARCHAR(100), PAYLOAD VARCHAR(MAX)", 0);
        try (SourceConnector connector = TestingFabric.open()) {
            assertThatThrownBy(() -> connector.describe(table)).isInstanceOfSatisfying(CdiException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_COLUMN_TYPE))
                    .hasMessageContaining("datetime2(n) (UTC) or datetimeoffset(n)");
        }
    }

    @Test
    void aSyncLabelsEveryQueryWithTheIntegrationAndRun() {
        TableName table = newTable("UPDATED_AT DATETIME2(6), EXTERNAL_ID VARCHAR(100), PAYLOAD VARCHAR(MAX)", 2);
        RecordingSink sink = new RecordingSink();
        try (SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).build()) {
            RunResult result = engine.run(SyncSpec.builder().integration("orders")
                    .connector(FabricConnectorProvider.NAME, TestingFabric.connectorSettings(TestingFabric.settings()))
                    .table(table.toString()).dataType(DataType.ATTRIBUTES).build(), sink);

            assertThat(result.status()).as(result.toString()).isEqualTo(RunStatus.SUCCESS);
            assertThat(sink.rows()).hasSize(2);
            String label = "cdi:orders:" + result.runId();
            assertThat(TestingFabric.server().queryHistory())
                    .filteredOn(entry -> entry.queryText().contains("[" + table.table() + "]"))
                    .hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(entry -> assertThat(entry.label()).contains(label));
            assertThat(TestingFabric.server().queryHistory())
                    .filteredOn(entry -> entry.queryText().contains("COUNT_BIG")).isNotEmpty();
        }
        assertThat(TestingFabric.server().unexpectedRequests()).isEmpty();
    }

    @Test
    void cancellingAReadStopsTheQueryWithAnAttention() {
        TableName table = newTable("UPDATED_AT DATETIME2(6), EXTERNAL_ID VARCHAR(100), PAYLOAD VARCHAR(MAX)", 0);
        TestingFabric.server().execute("INSERT INTO [dbo].[" + table.table() + "] SELECT DATEADD(MICROSECOND, X,"
                + " CAST('2026-01-01' AS DATETIME2(6))), 'u' || X, REPEAT('x', 4000) FROM SYSTEM_RANGE(1, 5000)");
        int attentions = TestingFabric.server().attentionsReceived();
        try (SourceConnector connector = TestingFabric.open()) {
            TableSchema schema = connector.describe(table);
            long read = 0;
            try (RowStream stream = connector.read(new ReadRequest(table, schema, EVERYTHING, OptionalLong.empty()))) {
                stream.next();
                read++;
                stream.cancel();
                while (stream.hasNext()) {
                    stream.next();
                    read++;
                }
            } catch (CdiException e) {
                assertThat(e.getMessage()).contains("canceled");
            }
            assertThat(read).isLessThan(5000);
            assertThat(TestingFabric.server().attentionsReceived()).isGreaterThan(attentions);
            assertThat(connector.count(table, schema, EVERYTHING)).as("the pool's connection is usable").isEqualTo(5000);
        }
    }

    @Test
    void datetimeOffsetColumnsAreReadAsTheirInstant() {
        TableName table = newTable("UPDATED_AT DATETIMEOFFSET(6), EXTERNAL_ID VARCHAR(100), PAYLOAD NVARCHAR(MAX)", 0);
        TestingFabric.server().insert("[dbo].[" + table.table() + "]", List.<Object[]>of(new Object[] {
            java.time.OffsetDateTime.parse("2026-01-02T05:04:05.123456+02:00"), "u1", "{\"a\":\"Zoë\"}"}));
        try (SourceConnector connector = TestingFabric.open()) {
            assertThat(readAll(connector, table)).singleElement().satisfies(row -> {
                assertThat(row.updatedAt()).contains(Instant.parse("2026-01-02T03:04:05.123456Z"));
                assertThat(row.value(Column.PAYLOAD)).contains("{\"a\":\"Zoë\"}");
            });
        }
    }

    @Test
    void nvarcharTextIsReadLikeVarchar() {
        TableName table = newTable("UPDATED_AT DATETIME2(6), EXTERNAL_ID VARCHAR(100), PAYLOAD VARCHAR(MAX)", 0);
        TestingFabric.server().insert("[dbo].[" + table.table() + "]", List.<Object[]>of(new Object[] {
            java.time.LocalDateTime.parse("2026-01-02T03:04:05.123456"), "ü1", "{\"a\":\"日本\"}"}));
        TestingFabric.server().setTextAsNvarchar(true);
        try (SourceConnector connector = TestingFabric.open()) {
            assertThat(connector.describe(table).columnTypes()).containsEntry(Column.PAYLOAD, "nvarchar");
            assertThat(readAll(connector, table)).singleElement().satisfies(row -> {
                assertThat(row.value(Column.EXTERNAL_ID)).contains("ü1");
                assertThat(row.value(Column.PAYLOAD)).contains("{\"a\":\"日本\"}");
            });
        } finally {
            TestingFabric.server().setTextAsNvarchar(false);
        }
    }
}
