package dev.cdi.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.TableName;
import dev.cdi.api.Watermark;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.state.InMemoryStateStore;
import dev.cdi.jdbc.JdbcSourceConnector;
import dev.cdi.redshift.tunnel.SshKeyPair;
import dev.cdi.redshift.tunnel.SshTunnel;
import dev.cdi.redshift.tunnel.TestingSshServer;
import dev.cdi.testkit.RecordingSink;
import dev.cdi.testkit.TestingRedshiftServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector through an SSH tunnel: an in-process Apache MINA SSH server stands in for the bastion host and
 * forwards to the testing Redshift server, as a bastion forwards to a cluster in a private network.
 */
class RedshiftTunnelTest {
    private static final Logger LOG = LoggerFactory.getLogger(RedshiftTunnelTest.class);
    private static final TableName USERS = TableName.parse("tunnel_test.users");
    private static final int ROWS = 100_000;
    private static final String PASSPHRASE = "tunnel-key-passphrase";

    private static TestingRedshiftServer server;
    private static SshKeyPair key;
    private static String encryptedKey;
    private TestingSshServer bastion;

    @TempDir
    Path directory;

    @BeforeAll
    static void createTableAndKey() {
        server = TestingRedshift.server();
        // Three rows share each UPDATED_AT, so that groups of equal values span batches and checkpoints.
        server.execute("CREATE SCHEMA tunnel_test",
                "CREATE TABLE tunnel_test.users (updated_at timestamptz, external_id varchar(64), payload varchar(65535))",
                "INSERT INTO tunnel_test.users SELECT TIMESTAMPTZ '2026-01-01 00:00:00+00' + (i / 3) * INTERVAL '1 microsecond',"
                        + " 'user-' || i, '{\"n\":' || i || ',\"plan\":\"gold\"}' FROM generate_series(1, " + ROWS + ") AS i");
        key = SshKeyPair.generate();
        encryptedKey = key.encryptedPrivateKeyPem(PASSPHRASE.toCharArray());
    }

    @AfterAll
    static void dropTable() {
        server.execute("DROP SCHEMA tunnel_test CASCADE");
    }

    @BeforeEach
    void startBastion() {
        bastion = TestingSshServer.start(key);
    }

    @AfterEach
    void stopBastion() {
        bastion.close();
    }

    /** Settings that reach the testing server through the bastion, with its host key pinned. */
    private Map<String, String> tunnelSettings() {
        Map<String, String> settings = TestingRedshift.settings();
        settings.put("sshHost", bastion.host());
        settings.put("sshPort", Integer.toString(bastion.port()));
        settings.put("sshUser", "tunnel");
        settings.put("sshPrivateKey", encryptedKey);
        settings.put("sshPrivateKeyPassphrase", PASSPHRASE);
        settings.put("sshHostKeyFingerprint", bastion.hostKeyFingerprint());
        return settings;
    }

    @Test
    @Tag("slow")
    void syncsAHundredThousandRowsThroughTheTunnelEachExactlyOnce() {
        SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).build();
        SyncSpec spec = SyncSpec.builder().integration("tunnel")
                .connector("redshift", new ConnectorSettings(tunnelSettings(), RedshiftSettings.SECRET_KEYS))
                .table(USERS).dataType(DataType.ATTRIBUTES).build();
        RecordingSink sink = new RecordingSink();

        long started = System.nanoTime();
        RunResult result = engine.run(spec, sink);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("Synced {} rows through the SSH tunnel in {} ms: {} rows/s", result.rowsSynced(), took.toMillis(),
                result.rowsSynced() * 1_000L / Math.max(1, took.toMillis()));

        assertThat(result.status()).as("%s", result.error()).isEqualTo(RunStatus.SUCCESS);
        assertThat(result.rowsRead()).isEqualTo(ROWS);
        assertThat(result.rowsSynced()).isEqualTo(ROWS);
        List<ResolvedRow> rows = sink.rows();
        assertThat(rows).hasSize(ROWS);
        Set<String> ids = new HashSet<>();
        Instant previous = Instant.MIN;
        for (ResolvedRow row : rows) {
            assertThat(ids.add(((Identifier.ExternalId) row.identifier()).value())).isTrue();
            assertThat(row.updatedAt()).isAfterOrEqualTo(previous);
            previous = row.updatedAt();
        }
        Instant last = Instant.parse("2026-01-01T00:00:00Z").plusNanos(ROWS / 3 * 1_000L);
        assertThat(previous).isEqualTo(last);
        // The last group holds rows 99,999 and 100,000.
        assertThat(result.watermark()).contains(new Watermark(last, 2));

        sink.clear();
        RunResult again = engine.run(spec, sink);
        assertThat(again.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(sink.rows()).isEmpty();
    }

    /** Opening connects to nothing; the first call opens the tunnel, and closing the connector closes it. */
    @Test
    void theTunnelLivesExactlyAsLongAsThePool() {
        RedshiftSettings settings = RedshiftSettings.parse(ConnectorSettings.of(tunnelSettings()));
        RedshiftConnections connections = new RedshiftConnections(settings, Optional.of(key));
        SourceConnector connector = new JdbcSourceConnector(new RedshiftDialect(), connections);
        assertThat(connections.tunnel()).isEmpty();

        assertThat(connector.currentTime()).isNotNull();
        SshTunnel tunnel = connections.tunnel().orElseThrow();
        assertThat(tunnel.isOpen()).isTrue();
        assertThat(connector.describe(USERS).columnTypes()).hasSize(3);
        assertThat(connections.tunnel()).containsSame(tunnel);

        connector.close();
        assertThat(tunnel.isOpen()).isFalse();
        assertThat(connections.tunnel()).isEmpty();
        assertThatThrownBy(connector::currentTime).isInstanceOf(CdiException.class).hasMessageContaining("closed");
    }

    @Test
    void aKeyTheBastionDoesNotAcceptIsSshAuthenticationWithTheLineToInstall() {
        bastion.close();
        bastion = TestingSshServer.start(SshKeyPair.generate());

        try (SourceConnector connector = TestingRedshift.open(tunnelSettings())) {
            assertThatThrownBy(connector::currentTime).isInstanceOfSatisfying(CdiException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.SSH_AUTHENTICATION_FAILED);
                assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
            }).hasMessageContaining("authorized_keys").hasMessageContaining(key.authorizedKeysLine("").strip());
        }
    }

    @Test
    void aChangedHostKeyIsRefusedNeverAcceptedSilently() {
        Map<String, String> settings = tunnelSettings();
        String pinned = bastion.hostKeyFingerprint();
        String changed = bastion.changeHostKey();

        try (SourceConnector connector = TestingRedshift.open(settings)) {
            assertThatThrownBy(connector::currentTime).isInstanceOfSatisfying(CdiException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.SSH_HOST_KEY_REJECTED);
                assertThat(e.category()).isEqualTo(ErrorCategory.CONFIG);
            }).hasMessageContaining(pinned).hasMessageContaining(changed);
        }
        RunResult result = SyncEngine.builder().build().run(SyncSpec.builder().integration("changed-key")
                .connector("redshift", ConnectorSettings.of(settings)).table(USERS).dataType(DataType.ATTRIBUTES)
                .build(), new RecordingSink());
        assertThat(result.status()).isEqualTo(RunStatus.CONFIG_ERROR);
        assertThat(result.error().orElseThrow().category()).isEqualTo(ErrorCategory.CONFIG);
    }

    @Test
    void trustOnFirstUseRecordsTheHostKeyAndRefusesAChangedOne() throws Exception {
        Path knownHosts = directory.resolve("known_hosts");
        Map<String, String> settings = tunnelSettings();
        settings.remove("sshHostKeyFingerprint");
        settings.put("sshTrustOnFirstUse", "true");
        settings.put("sshKnownHostsFile", knownHosts.toString());

        try (SourceConnector connector = TestingRedshift.open(settings)) {
            assertThat(connector.currentTime()).isNotNull();
        }
        assertThat(Files.readString(knownHosts)).contains(bastion.hostKeyFingerprint());

        bastion.changeHostKey();
        try (SourceConnector connector = TestingRedshift.open(settings)) {
            assertThatThrownBy(connector::currentTime).isInstanceOfSatisfying(CdiException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SSH_HOST_KEY_REJECTED));
        }
    }

    @Test
    void aBastionThatIsDownIsRetryableConnectivityNamingIt() {
        Map<String, String> settings = tunnelSettings();
        bastion.stop();

        try (SourceConnector connector = TestingRedshift.open(settings)) {
            assertThatThrownBy(connector::currentTime).isInstanceOfSatisfying(CdiException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_FAILED);
                assertThat(e.retryable()).isTrue();
            }).hasMessageContaining("SSH bastion " + bastion.host() + ":" + bastion.port());
        }
    }

    /** A tunnel that closed under the pool is not used again: the next call opens a new one (here: cannot). */
    @Test
    void aTunnelThatClosedIsReplacedOnTheNextCall() throws InterruptedException {
        RedshiftSettings settings = RedshiftSettings.parse(ConnectorSettings.of(tunnelSettings()));
        RedshiftConnections connections = new RedshiftConnections(settings, Optional.of(key));
        try (SourceConnector connector = new JdbcSourceConnector(new RedshiftDialect(), connections)) {
            assertThat(connector.currentTime()).isNotNull();
            SshTunnel tunnel = connections.tunnel().orElseThrow();

            bastion.stop();
            // The client notices the lost connection on its own threads, after a while that load decides.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tunnel.isOpen() && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            assertThat(tunnel.isOpen()).isFalse();

            assertThatThrownBy(connector::currentTime).isInstanceOfSatisfying(CdiException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_FAILED))
                    .hasMessageContaining("Cannot reach the SSH bastion");
        }
    }
}
