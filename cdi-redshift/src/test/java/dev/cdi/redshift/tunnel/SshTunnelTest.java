package dev.cdi.redshift.tunnel;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SshTunnelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final SshKeyPair key = SshKeyPair.generate();
    private TestingSshServer bastion;
    private TestingEchoServer target;

    @TempDir
    Path directory;

    @BeforeEach
    void start() {
        bastion = TestingSshServer.start(key);
        target = TestingEchoServer.start();
    }

    @AfterEach
    void stop() {
        bastion.close();
        target.close();
    }

    @Test
    void forwardsBytesThroughTheBastion() throws IOException {
        try (SshTunnel tunnel = open(pinned(bastion.hostKeyFingerprint()), key, KnownHosts.inMemory())) {
            assertThat(tunnel.isOpen()).isTrue();
            assertThat(tunnel.localHost()).isEqualTo("127.0.0.1");

            assertThat(echo(tunnel, "hello through the bastion")).isEqualTo("hello through the bastion");
            assertThat(echo(tunnel, "and again")).isEqualTo("and again");
            assertThat(tunnel.toString())
                    .isEqualTo("SshTunnel[127.0.0.1:" + tunnel.localPort() + " -> 127.0.0.1:" + target.port()
                            + " through tester@127.0.0.1:" + bastion.port() + ", open]");
        }
    }

    @Test
    void carriesSeveralConnectionsAtOnce() throws IOException {
        try (SshTunnel tunnel = open(pinned(bastion.hostKeyFingerprint()), key, KnownHosts.inMemory());
                Socket first = connect(tunnel);
                Socket second = connect(tunnel)) {
            first.getOutputStream().write("one\n".getBytes(UTF_8));
            second.getOutputStream().write("two\n".getBytes(UTF_8));

            assertThat(readLine(second.getInputStream())).isEqualTo("two");
            assertThat(readLine(first.getInputStream())).isEqualTo("one");
        }
    }

    @Test
    void pinnedFingerprintOtherThanTheBastionsIsRefused() {
        String wrong = SshKeyPair.generate().fingerprint();
        KnownHosts knownHosts = KnownHosts.inMemory();

        assertThatThrownBy(() -> open(pinned(wrong), key, knownHosts))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.SSH_HOST_KEY_REJECTED)
                .hasMessageContaining("bastion 127.0.0.1:" + bastion.port() + " does not match the pinned fingerprint")
                .hasMessageContaining("expected " + wrong)
                .hasMessageContaining("presented ssh-ed25519 key " + bastion.hostKeyFingerprint());
        assertThat(knownHosts.fingerprintOf(bastion.host(), bastion.port())).isEmpty();
        assertThat(target.connections()).isZero();
    }

    @Test
    void trustOnFirstUseRecordsTheKeyAndThenRefusesAChangedOne() throws IOException {
        FileKnownHosts knownHosts = new FileKnownHosts(directory.resolve("known_hosts"));
        String first = bastion.hostKeyFingerprint();
        try (SshTunnel tunnel = open(trustOnFirstUse(), key, knownHosts)) {
            assertThat(echo(tunnel, "first")).isEqualTo("first");
        }
        assertThat(knownHosts.fingerprintOf(bastion.host(), bastion.port())).contains(first);
        try (SshTunnel again = open(trustOnFirstUse(), key, new FileKnownHosts(directory.resolve("known_hosts")))) {
            assertThat(echo(again, "second")).isEqualTo("second");
        }

        String changed = bastion.changeHostKey();

        assertThatThrownBy(() -> open(trustOnFirstUse(), key, knownHosts))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.SSH_HOST_KEY_REJECTED)
                .hasMessageContaining("bastion 127.0.0.1:" + bastion.port() + " has changed")
                .hasMessageContaining("expected " + first)
                .hasMessageContaining("presented ssh-ed25519 key " + changed)
                .hasMessageContaining(knownHosts.file().toString());
        assertThat(knownHosts.fingerprintOf(bastion.host(), bastion.port())).contains(first);
    }

    @Test
    void keyWithNeitherPinNorTrustOnFirstUseIsRefusedShowingItsFingerprint() {
        KnownHosts knownHosts = KnownHosts.inMemory();

        assertThatThrownBy(() -> open(settings(Optional.empty(), false, bastion.port()), key, knownHosts))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.SSH_HOST_KEY_REJECTED)
                .hasMessageContaining("is not trusted")
                .hasMessageContaining("presented ssh-ed25519 key " + bastion.hostKeyFingerprint())
                .hasMessageContaining("hostKeyFingerprint to " + bastion.hostKeyFingerprint());
        assertThat(knownHosts.fingerprintOf(bastion.host(), bastion.port())).isEmpty();
    }

    @Test
    void keyTheBastionDoesNotAcceptAsksToInstallTheAuthorizedKeysLine() {
        SshKeyPair stranger = SshKeyPair.generate();

        assertThatThrownBy(() -> open(pinned(bastion.hostKeyFingerprint()), stranger, KnownHosts.inMemory()))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.SSH_AUTHENTICATION_FAILED)
                .hasMessageContaining("127.0.0.1:" + bastion.port() + " refused the key " + stranger.fingerprint()
                        + " for user 'tester'")
                .hasMessageContaining("~tester/.ssh/authorized_keys")
                .hasMessageContaining(stranger.authorizedKeysLine("cdi"))
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isFalse());
    }

    @Test
    void bastionThatIsDownIsARetryableConnectionFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> open(settings(Optional.empty(), true, closedPort), key, KnownHosts.inMemory()))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.CONNECTION_FAILED)
                .hasMessageContaining("Cannot reach the SSH bastion 127.0.0.1:" + closedPort)
                .hasMessageContaining("refused")
                .satisfies(e -> assertThat(((CdiException) e).retryable()).isTrue());
    }

    @Test
    void bastionThatNeverAnswersTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            SshTunnelSettings settings = new SshTunnelSettings("127.0.0.1", silent.getLocalPort(), "tester",
                    Optional.empty(), true, Duration.ofMillis(700));

            assertThatThrownBy(() -> SshTunnel.open(settings, key, KnownHosts.inMemory(), "127.0.0.1", target.port()))
                    .isInstanceOf(CdiException.class)
                    .hasFieldOrPropertyWithValue("errorCode", ErrorCode.CONNECTION_FAILED)
                    .hasMessageContaining("127.0.0.1:" + silent.getLocalPort())
                    .hasMessageContaining("700 ms");
        }
    }

    @Test
    void targetTheBastionCannotReachIsNamed() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        SshTunnelSettings settings = pinned(bastion.hostKeyFingerprint());

        assertThatThrownBy(() -> SshTunnel.open(settings, key, KnownHosts.inMemory(), "127.0.0.1", closedPort))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.CONNECTION_FAILED)
                .hasMessageContaining("bastion 127.0.0.1:" + bastion.port() + " cannot reach 127.0.0.1:" + closedPort);
    }

    @Test
    void bastionThatForbidsForwardingIsAPermissionError() {
        bastion.allowForwarding(false);

        assertThatThrownBy(() -> open(pinned(bastion.hostKeyFingerprint()), key, KnownHosts.inMemory()))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.PERMISSION_DENIED)
                .hasMessageContaining("AllowTcpForwarding");
    }

    @Test
    void closingStopsForwarding() throws IOException {
        SshTunnel tunnel = open(pinned(bastion.hostKeyFingerprint()), key, KnownHosts.inMemory());
        int port = tunnel.localPort();
        assertThat(echo(tunnel, "before")).isEqualTo("before");

        tunnel.close();
        tunnel.close();

        assertThat(tunnel.isOpen()).isFalse();
        assertThat(tunnel.toString()).endsWith(", closed]");
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void tunnelIsNoLongerOpenWhenTheBastionGoesAway() throws InterruptedException {
        try (SshTunnel tunnel = open(pinned(bastion.hostKeyFingerprint()), key, KnownHosts.inMemory())) {
            bastion.stop();

            // The client notices the lost connection on its own threads, after a while that load decides.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tunnel.isOpen() && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            assertThat(tunnel.isOpen()).isFalse();
        }
    }

    @Test
    void malformedTargetIsRefusedBeforeConnecting() {
        SshTunnelSettings settings = pinned(bastion.hostKeyFingerprint());

        assertThatThrownBy(() -> SshTunnel.open(settings, key, KnownHosts.inMemory(), " ", 5439))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION);
        assertThatThrownBy(() -> SshTunnel.open(settings, key, KnownHosts.inMemory(), "redshift", 0))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION);
    }

    @Test
    void clientReadsNothingFromTheUsersSshDirectory() {
        SshHostKeyVerifier verifier = new SshHostKeyVerifier(trustOnFirstUse(), KnownHosts.inMemory());

        SshClient client = SshTunnel.newClient(trustOnFirstUse(), verifier);

        assertThat(client.getHostConfigEntryResolver()).isSameAs(HostConfigEntryResolver.EMPTY);
        assertThat(client.getKeyIdentityProvider()).isSameAs(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        assertThat(client.getAgentFactory()).isNull();
        assertThat(client.getServerKeyVerifier()).isSameAs(verifier);
        assertThat(client.getUserAuthFactoriesNames()).containsExactly("publickey");
        assertThat(client.getSignatureFactoriesNames()).first().isEqualTo("ssh-ed25519");
    }

    private SshTunnel open(SshTunnelSettings settings, SshKeyPair loginKey, KnownHosts knownHosts) {
        return SshTunnel.open(settings, loginKey, knownHosts, "127.0.0.1", target.port());
    }

    private SshTunnelSettings pinned(String fingerprint) {
        return settings(Optional.of(fingerprint), false, bastion.port());
    }

    private SshTunnelSettings trustOnFirstUse() {
        return settings(Optional.empty(), true, bastion.port());
    }

    private static SshTunnelSettings settings(Optional<String> fingerprint, boolean trustOnFirstUse, int port) {
        return new SshTunnelSettings("127.0.0.1", port, "tester", fingerprint, trustOnFirstUse, TIMEOUT);
    }

    private static String echo(SshTunnel tunnel, String text) throws IOException {
        try (Socket socket = connect(tunnel)) {
            socket.getOutputStream().write((text + "\n").getBytes(UTF_8));
            return readLine(socket.getInputStream());
        }
    }

    private static Socket connect(SshTunnel tunnel) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(tunnel.localHost(), tunnel.localPort()), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int next = in.read(); next != '\n'; next = in.read()) {
            if (next < 0) {
                throw new IOException("end of stream after '" + line + "'");
            }
            line.append((char) next);
        }
        return line.toString();
    }

}
