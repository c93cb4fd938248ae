package dev.cdi.redshift.tunnel;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local port forward from {@code 127.0.0.1:}{@link #localPort()} through an SSH bastion host to a target host
 * and port, such as a Redshift cluster in a private network. A JDBC driver connects to {@link #localHost()} and
 * {@link #localPort()} instead of the target.
 *
 * <p>{@link #open} connects, checks the bastion's host key by the rules of {@link SshTunnelSettings}, logs in with
 * the key pair, and opens one connection to the target through the bastion before it returns, so that a bastion
 * that cannot reach the target, or may not forward, fails here with a message saying so. The SSH client reads
 * nothing from {@code ~/.ssh} (no config file, no default keys, no agent) and offers only public-key
 * authentication. Each tunnel has its own SSH client; heartbeats every 30 seconds keep an idle tunnel open and
 * close it when the bastion stops answering.
 *
 * <p>Thread-safe. Open one tunnel per connection pool and close it when the pool closes; {@link #close()} may be
 * called any number of times.
 */
public final class SshTunnel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshTunnel.class);

    private static final String LOCAL_HOST = "127.0.0.1";
    private static final String AUTHORIZED_KEYS_COMMENT = "cdi";
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(30);
    private static final int HEARTBEATS_UNANSWERED_MAX = 4;
    // Plain host keys only, in OpenSSH's order of preference: a pinned fingerprint is of a plain key (as
    // ssh-keygen -l prints it), and ssh-ed25519 first matches what users usually copy from the bastion.
    private static final List<NamedFactory<Signature>> SIGNATURES = List.of(
            BuiltinSignatures.ed25519,
            BuiltinSignatures.nistp256,
            BuiltinSignatures.nistp384,
            BuiltinSignatures.nistp521,
            BuiltinSignatures.rsaSHA512,
            BuiltinSignatures.rsaSHA256);

    private final SshClient client;
    private final ClientSession session;
    private final ExplicitPortForwardingTracker forwarding;
    private final int localPort;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SshTunnel(SshClient client, ClientSession session, ExplicitPortForwardingTracker forwarding,
            SshTunnelSettings settings, SshdSocketAddress target) {
        this.client = client;
        this.session = session;
        this.forwarding = forwarding;
        this.localPort = forwarding.getBoundAddress().getPort();
        this.description = LOCAL_HOST + ":" + localPort + " -> " + target.getHostName() + ":" + target.getPort()
                + " through " + settings.user() + "@" + settings.bastion();
    }

    /**
     * Opens a tunnel: connects to the bastion, checks its host key, logs in, checks that the bastion can reach
     * the target, and listens on a free port of {@code 127.0.0.1}.
     *
     * @param settings the bastion and how its host key is trusted
     * @param key the key pair to log in with; its public key must be in the bastion user's authorized keys
     * @param knownHosts the host keys trusted so far; read when no fingerprint is pinned, and written on first use
     *        when {@link SshTunnelSettings#trustOnFirstUse()} allows it
     * @param targetHost the host to reach through the bastion, as the bastion resolves it
     * @param targetPort the port to reach through the bastion, 1 to 65535
     * @return the open tunnel; close it when done
     * @throws CdiException with {@link ErrorCode#SSH_HOST_KEY_REJECTED} when the bastion's host key is not trusted,
     *         {@link ErrorCode#SSH_AUTHENTICATION_FAILED} when the bastion refuses the key (the message shows the
     *         {@code authorized_keys} line to install), {@link ErrorCode#CONNECTION_FAILED} (retryable) when the
     *         bastion or, through it, the target cannot be reached in time, {@link ErrorCode#PERMISSION_DENIED}
     *         when the bastion does not allow forwarding, {@link ErrorCode#INVALID_CONFIGURATION} for a malformed
     *         target, or the error of the known hosts when they cannot be read or written
     */
    public static SshTunnel open(SshTunnelSettings settings, SshKeyPair key, KnownHosts knownHosts, String targetHost,
            int targetPort) {
        requireNonNull(settings, "settings is null");
        requireNonNull(key, "key is null");
        requireNonNull(knownHosts, "knownHosts is null");
        requireNonNull(targetHost, "targetHost is null");
        if (targetHost.isBlank() || HostPort.containsWhitespaceOrControl(targetHost)) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                    "The SSH tunnel's target host must not be blank or contain spaces, was '" + targetHost + "'");
        }
        HostPort.requirePort(targetPort, "The SSH tunnel's target port");
        long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
        SshHostKeyVerifier verifier = new SshHostKeyVerifier(settings, knownHosts);
        SshClient client = newClient(settings, verifier);
        SshdSocketAddress target = new SshdSocketAddress(targetHost, targetPort);
        boolean opened = false;
        client.start();
        try {
            ClientSession session = connect(client, settings, deadline);
            authenticate(session, settings, key, verifier, deadline);
            probe(session, settings, target, deadline);
            ExplicitPortForwardingTracker forwarding = forward(session, settings, target);
            SshTunnel tunnel = new SshTunnel(client, session, forwarding, settings, target);
            opened = true;
            LOG.debug("Opened SSH tunnel {}", tunnel.description);
            return tunnel;
        } finally {
            if (!opened) {
                client.stop();
            }
        }
    }

    /**
     * The SSH client for one tunnel, not started. Package-private so that a test can check its configuration.
     *
     * @param settings the tunnel's settings, for the timeouts
     * @param verifier the host key verifier
     * @return the configured client
     */
    static SshClient newClient(SshTunnelSettings settings, ServerKeyVerifier verifier) {
        SshClient client = SshClient.setUpDefaultClient();
        // Nothing from ~/.ssh: no config file, no default identities, no agent; and the default verifier accepts all.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setAgentFactory(null);
        client.setServerKeyVerifier(verifier);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setSignatureFactories(SIGNATURES);
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, settings.connectTimeout());
        CoreModuleProperties.AUTH_TIMEOUT.set(client, settings.connectTimeout());
        // The pool decides how long the tunnel lives; the heartbeats notice a bastion that went away.
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, HEARTBEAT_INTERVAL);
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, HEARTBEATS_UNANSWERED_MAX);
        return client;
    }

    /**
     * The local address to connect to.
     *
     * @return {@code 127.0.0.1}
     */
    public String localHost() {
        return LOCAL_HOST;
    }

    /**
     * The local port to connect to, chosen by the operating system when the tunnel opened.
     *
     * @return the port on {@link #localHost()}
     */
    public int localPort() {
        return localPort;
    }

    /**
     * Whether the tunnel still forwards: not closed, and the SSH session to the bastion is alive.
     *
     * @return true while connections to {@link #localPort()} are forwarded
     */
    public boolean isOpen() {
        return !closed.get() && session.isOpen() && forwarding.isOpen();
    }

    /** Stops forwarding, closes the SSH session and stops the SSH client. Does nothing when already closed. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            forwarding.close();
        } catch (IOException e) {
            // Stopping the client below closes the listener as well.
            LOG.debug("Closing the port forward of SSH tunnel {} failed: {}", description, e.toString());
        }
        session.close(true);
        client.stop();
        LOG.debug("Closed SSH tunnel {}", description);
    }

    /**
     * Describes the tunnel without secrets.
     *
     * @return for example
     *         {@code SshTunnel[127.0.0.1:41234 -> redshift.internal:5439 through ec2-user@bastion:22, open]}
     */
    @Override
    public String toString() {
        return "SshTunnel[" + description + (isOpen() ? ", open]" : ", closed]");
    }

    private static ClientSession connect(SshClient client, SshTunnelSettings settings, long deadline) {
        try {
            return client.connect(settings.user(), settings.host(), settings.port())
                    .verify(remaining(deadline))
                    .getSession();
        } catch (IOException e) {
            restoreInterrupt(e);
            throw new CdiException(ErrorCode.CONNECTION_FAILED, "Cannot reach the SSH bastion " + settings.bastion()
                    + ": " + reason(e, settings) + ". Check the bastion's host and port, that its SSH server is"
                    + " running, and that firewalls and security groups let this machine reach it.", e);
        }
    }

    private static void authenticate(ClientSession session, SshTunnelSettings settings, SshKeyPair key,
            SshHostKeyVerifier verifier, long deadline) {
        session.addPublicKeyIdentity(key.keyPair());
        try {
            session.auth().verify(remaining(deadline));
        } catch (IOException e) {
            restoreInterrupt(e);
            Optional<RuntimeException> rejection = verifier.rejection();
            if (rejection.isPresent()) {
                throw rethrowable(rejection.get(), e);
            }
            if (disconnectCode(e) == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE) {
                throw new CdiException(ErrorCode.SSH_AUTHENTICATION_FAILED, "The SSH bastion " + settings.bastion()
                        + " refused the key " + key.fingerprint() + " for user '" + settings.user() + "'. Add this"
                        + " line to ~" + settings.user() + "/.ssh/authorized_keys on the bastion (the .ssh directory"
                        + " mode 700 and the file mode 600, both owned by " + settings.user() + "): "
                        + key.authorizedKeysLine(AUTHORIZED_KEYS_COMMENT), e);
            }
            throw new CdiException(ErrorCode.CONNECTION_FAILED, "The SSH bastion " + settings.bastion()
                    + " did not complete the SSH handshake and login: " + reason(e, settings) + ". Check that "
                    + settings.bastion() + " is an SSH server and that it is not overloaded.", e);
        }
    }

    private static void probe(ClientSession session, SshTunnelSettings settings, SshdSocketAddress target,
            long deadline) {
        // One connection through the bastion now, so that "cannot reach" and "may not forward" fail here, with a
        // reason, rather than as a closed socket in the JDBC driver later.
        try (ChannelDirectTcpip channel = session.createDirectTcpipChannel(
                new SshdSocketAddress(LOCAL_HOST, 0), target)) {
            channel.open().verify(remaining(deadline));
        } catch (IOException e) {
            restoreInterrupt(e);
            Optional<SshChannelOpenException> refusal = channelOpenFailure(e);
            boolean prohibited = refusal.isPresent()
                    && refusal.get().getReasonCode() == SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED;
            if (prohibited) {
                throw new CdiException(ErrorCode.PERMISSION_DENIED, "The SSH bastion " + settings.bastion()
                        + " does not let user '" + settings.user() + "' forward connections to " + target
                        + " (administratively prohibited). On the bastion, allow TCP forwarding for that user"
                        + " (AllowTcpForwarding, and PermitOpen if used, in /etc/ssh/sshd_config).", e);
            }
            String reason = refusal.map(open -> "the bastion could not connect to it (" + open.getMessage() + ")")
                    .orElseGet(() -> reason(e, settings));
            throw new CdiException(ErrorCode.CONNECTION_FAILED, "The SSH bastion " + settings.bastion()
                    + " cannot reach " + target + ": " + reason + ". Check the target host and port, that it is"
                    + " running, and that the bastion's network (security groups, routes) lets it reach the target.",
                    e);
        }
    }

    private static ExplicitPortForwardingTracker forward(ClientSession session, SshTunnelSettings settings,
            SshdSocketAddress target) {
        try {
            return session.createLocalPortForwardingTracker(new SshdSocketAddress(LOCAL_HOST, 0), target);
        } catch (IOException e) {
            throw new CdiException(ErrorCode.CONNECTION_FAILED, "Cannot listen on " + LOCAL_HOST
                    + " for the SSH tunnel to " + target + " through " + settings.bastion() + ": " + e, e);
        }
    }

    private static Duration remaining(long deadline) {
        // At least a millisecond, so that a spent budget ends in a prompt timeout rather than no wait at all.
        return Duration.ofNanos(Math.max(1_000_000L, deadline - System.nanoTime()));
    }

    private static RuntimeException rethrowable(RuntimeException rejection, IOException failure) {
        // Thrown on an SSH I/O thread; a copy carries this thread's stack.
        if (rejection instanceof CdiException) {
            CdiException cdi = (CdiException) rejection;
            return new CdiException(cdi.errorCode(), cdi.getMessage(), failure);
        }
        rejection.addSuppressed(failure);
        return rejection;
    }

    private static String reason(Throwable failure, SshTunnelSettings settings) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "the host name does not resolve";
            }
            if (cause instanceof ConnectException) {
                String message = String.valueOf(cause.getMessage());
                return message.contains("refused") ? "the connection was refused" : "the connection failed: " + message;
            }
            if (cause instanceof NoRouteToHostException) {
                return "there is no route to the host";
            }
            if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
                return "no answer within the connect timeout of " + settings.connectTimeout().toMillis() + " ms";
            }
        }
        return String.valueOf(failure.getMessage());
    }

    private static int disconnectCode(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SshException && ((SshException) cause).getDisconnectCode() != 0) {
                return ((SshException) cause).getDisconnectCode();
            }
        }
        return 0;
    }

    private static Optional<SshChannelOpenException> channelOpenFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SshChannelOpenException) {
                return Optional.of((SshChannelOpenException) cause);
            }
        }
        return Optional.empty();
    }

    private static void restoreInterrupt(IOException failure) {
        if (failure instanceof InterruptedIOException && !(failure instanceof SocketTimeoutException)) {
            Thread.currentThread().interrupt();
        }
    }
}
