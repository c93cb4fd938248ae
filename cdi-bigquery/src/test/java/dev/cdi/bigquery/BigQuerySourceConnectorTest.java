package dev.cdi.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.TableName;
import dev.cdi.core.ConnectionTestResult;
import dev.cdi.core.ConnectionTester;
import dev.cdi.core.ConnectorRegistry;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.InMemoryStateStore;
import dev.cdi.testkit.RecordingSink;
import dev.cdi.testkit.TestingBigQueryServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What is particular to BigQuery, on Google's real client against the fake BigQuery. */
class BigQuerySourceConnectorTest {
    private static final AtomicInteger TABLES = new AtomicInteger();

    private static String newTable() {
        String name = "t" + TABLES.incrementAndGet();
        TestingBigQuery.server().createTable(TestingBigQuery.PROJECT + "." + TestingBigQuery.DATASET + "." + name,
                "UPDATED_AT TIMESTAMP, EXTERNAL_ID STRING, PAYLOAD JSON");
        TestingBigQuery.server().insert(TestingBigQuery.PROJECT + "." + TestingBigQuery.DATASET + "." + name,
                new Object[] {Instant.parse("2026-01-02T03:04:05.123456Z"), "u1", "{\"plan\":\"gold\"}"},
                new Object[] {Instant.parse("2026-01-02T03:04:06Z"), "u2", "{\"plan\":\"free\"}"});
        return name;
    }

    private static RunResult sync(String integration, String table, Map<String, String> settings, RecordingSink sink) {
        BigQueryConnectorProvider provider = new BigQueryConnectorProvider();
        try (SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).build()) {
            return engine.run(SyncSpec.builder().integration(integration)
                    .connector("bigquery", new ConnectorSettings(settings, provider.secretSettingKeys()))
                    .table(TestingBigQuery.DATASET + "." + table).dataType(DataType.ATTRIBUTES).build(), sink);
        }
    }

    @Test
    void aSyncLabelsEveryJobWithTheIntegrationAndRunAndReadsJsonPayloads() {
        String table = newTable();
        RecordingSink sink = new RecordingSink();

        RunResult result = sync("orders", table, TestingBigQuery.settings(), sink);

        assertThat(result.status()).as(result.toString()).isEqualTo(RunStatus.SUCCESS);
        assertThat(sink.rows()).hasSize(2);
        assertThat(TestingBigQuery.server().jobHistory())
                .filteredOn(job -> job.query().contains("`" + table + "`"))
                .isNotEmpty()
                .allSatisfy(job -> assertThat(job.labels()).containsEntry("cdi_integration", "orders")
                        .containsKey("cdi_run"));
    }

    @Test
    void theConnectionTestReportsTheBytesARunScansAndWhetherPartitioningHelps() {
        String table = newTable();
        SyncSpec spec = SyncSpec.builder().integration("cost")
                .connector("bigquery", new ConnectorSettings(TestingBigQuery.settings(),
                        new BigQueryConnectorProvider().secretSettingKeys()))
                .table(TestingBigQuery.DATASET + "." + table).dataType(DataType.ATTRIBUTES).build();
        ConnectionTester tester = new ConnectionTester(ConnectorRegistry.of(List.of(new BigQueryConnectorProvider())));

        ConnectionTestResult plain = tester.test(spec);
        assertThat(plain).isInstanceOfSatisfying(ConnectionTestResult.Passed.class, passed ->
                assertThat(passed.costReport()).hasValueSatisfying(report -> assertThat(report)
                        .contains("dry run").contains("bytes").contains("neither partitioned nor clustered")
                        .contains("PARTITION BY DATE(UPDATED_AT)")));

        TestingBigQuery.server().setPartitioning(TestingBigQuery.PROJECT + "." + TestingBigQuery.DATASET + "." + table,
                "UPDATED_AT");
        assertThat(tester.test(spec)).isInstanceOfSatisfying(ConnectionTestResult.Passed.class, passed ->
                assertThat(passed.costReport()).hasValueSatisfying(report -> assertThat(report)
                        .contains("partitioned on UPDATED_AT")));
        assertThat(TestingBigQuery.server().jobHistory()).filteredOn(job -> job.query().contains("`" + table + "`"))
                .anySatisfy(job -> assertThat(job.dryRun()).isTrue());
    }

    @Test
    void aRunThatWouldBillMoreThanTheCapFailsBeforeReadingAnyRow() {
        String table = newTable();
        Map<String, String> settings = TestingBigQuery.settings();
        settings.put("maximumBytesBilled", "1000");
        RecordingSink sink = new RecordingSink();

        RunResult result = sync("capped", table, settings, sink);

        assertThat(result.status()).isEqualTo(RunStatus.ERROR);
        assertThat(result.error().orElseThrow().code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(result.error().orElseThrow().message()).contains("bytesBilledLimitExceeded")
                .contains("maximumBytesBilled");
        assertThat(sink.rows()).as("never a silent partial read").isEmpty();
        assertThat(result.rowsRead()).isZero();
    }

    @Test
    void aKeyGoogleRefusesIsAuthenticationWithAdvice() {
        TestingBigQueryServer.ServiceAccount other = TestingBigQuery.server()
                .createServiceAccount("other@" + TestingBigQuery.PROJECT + ".iam.gserviceaccount.com");
        // A key whose signature is not the account's: the account's email with another account's private key.
        String forged = other.keyJson().replace(other.email(), TestingBigQuery.account().email());
        Map<String, String> settings = TestingBigQuery.settings();
        settings.put("credentials", forged);
        try (SourceConnector connector = TestingBigQuery.open(settings)) {
            assertThatThrownBy(connector::currentTime).isInstanceOfSatisfying(CdiException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
                assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
            }).hasMessageContaining("BigQuery API is enabled").hasMessageNotContaining("PRIVATE KEY");
        }
    }

    @Test
    void aTableTheAccountMayNotReadIsPermissionsNamingTheRolesAndAMissingOneIsTableNotFound() {
        String table = newTable();
        TestingBigQueryServer.ServiceAccount limited = TestingBigQuery.server()
                .createServiceAccount("limited-" + table + "@" + TestingBigQuery.PROJECT + ".iam.gserviceaccount.com");
        TestingBigQuery.server().revokeAccess(limited.email(),
                TestingBigQuery.PROJECT + "." + TestingBigQuery.DATASET + "." + table);
        try (SourceConnector connector = TestingBigQuery.open(TestingBigQuery.settings(limited))) {
            assertThatThrownBy(() -> connector.describe(TableName.parse(TestingBigQuery.DATASET + "." + table)))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PERMISSION_DENIED))
                    .hasMessageContaining("accessDenied").hasMessageContaining("BigQuery Data Viewer")
                    .hasMessageContaining("BigQuery Job User");
            assertThatThrownBy(() -> connector.describe(TableName.parse(TestingBigQuery.DATASET + ".missing")))
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TABLE_NOT_FOUND));
        }
    }

    @Test
    void aBackendErrorIsARetryableConnectivityErrorWithBigQuerysReasonKept() {
        try (SourceConnector connector = TestingBigQuery.open(TestingBigQuery.settings())) {
            TestingBigQuery.server().failNextCalls(1, "backendError");
            assertThatThrownBy(connector::currentTime).isInstanceOfSatisfying(CdiException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_FAILED);
                assertThat(e.errorCode().retryable()).isTrue();
            }).hasMessageContaining("backendError");
            assertThat(connector.currentTime()).as("the next call goes through").isNotNull();
        }
    }

    @Test
    void aKeyThatIsNotJsonIsRefusedBeforeConnectingWithoutShowingIt() {
        Map<String, String> settings = TestingBigQuery.settings();
        settings.put("credentials", "-----BEGIN PRIVATE KEY----- not json");
        BigQueryConnectorProvider provider = new BigQueryConnectorProvider();
        assertThatThrownBy(() -> provider.validate(new ConnectorSettings(settings,
                provider.secretSettingKeys())))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("'credentials'").hasMessageNotContaining("BEGIN PRIVATE KEY");
        assertThat(provider.secretSettingKeys()).containsExactly("credentials");
    }
}
