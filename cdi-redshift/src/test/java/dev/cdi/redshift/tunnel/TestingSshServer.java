package dev.cdi.redshift.tunnel;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;

/**
 * An in-process Apache MINA SSH server on {@code 127.0.0.1} and a free port, standing in for a bastion host: public-key
 * authentication against a set of allowed keys, TCP forwarding allowed (switchable), and an Ed25519 host key that a
 * test can replace to simulate a changed host key.
 *
 * <p>Thread-safe. Start with {@link #start(SshKeyPair...)}, stop with {@link #close()}.
 */
public final class TestingSshServer implements AutoCloseable {
    private final SshServer server;
    private final Set<PublicKey> authorizedKeys = new CopyOnWriteArraySet<>();
    private volatile KeyPair hostKey = SshKeyPair.generate().keyPair();

    private TestingSshServer(List<SshKeyPair> authorizedKeys) {
        authorizedKeys.forEach(this::authorize);
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(session -> List.of(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> this.authorizedKeys.stream()
                .anyMatch(allowed -> KeyUtils.compareKeys(allowed, key)));
        server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
    }

    /**
     * Starts a server that accepts these keys, for any user name.
     *
     * @param authorizedKeys the keys allowed to log in; none for a server that refuses everyone
     * @return the started server
     */
    public static TestingSshServer start(SshKeyPair... authorizedKeys) {
        TestingSshServer testing = new TestingSshServer(List.of(authorizedKeys));
        try {
            testing.server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the testing SSH server", e);
        }
        return testing;
    }

    /**
     * Allows one more key to log in.
     *
     * @param key the key pair whose public key is allowed
     */
    public void authorize(SshKeyPair key) {
        authorizedKeys.add(requireNonNull(key, "key is null").keyPair().getPublic());
    }

    /**
     * The address the server listens on.
     *
     * @return {@code 127.0.0.1}
     */
    public String host() {
        return "127.0.0.1";
    }

    /**
     * The port the server listens on.
     *
     * @return the port
     */
    public int port() {
        return server.getPort();
    }

    /**
     * The fingerprint of the current host key, as {@code ssh-keygen -l} prints it.
     *
     * @return {@code SHA256:...}
     */
    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(hostKey.getPublic());
    }

    /**
     * Replaces the host key with a new one; sessions opened from now on see the new key.
     *
     * @return the fingerprint of the new host key
     */
    public String changeHostKey() {
        hostKey = SshKeyPair.generate().keyPair();
        return hostKeyFingerprint();
    }

    /**
     * Allows or forbids TCP forwarding, as {@code AllowTcpForwarding} does in OpenSSH.
     *
     * @param allowed whether clients may forward
     */
    public void allowForwarding(boolean allowed) {
        server.setForwardingFilter(allowed ? AcceptAllForwardingFilter.INSTANCE : RejectAllForwardingFilter.INSTANCE);
    }

    /** Stops the server and closes its sessions. */
    public void stop() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop the testing SSH server", e);
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}
