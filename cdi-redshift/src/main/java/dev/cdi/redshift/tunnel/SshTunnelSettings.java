package dev.cdi.redshift.tunnel;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.time.Duration;
import java.util.Optional;

/**
 * Where to tunnel through: the SSH bastion host, its user, and how its host key is trusted.
 *
 * <p>The host key is checked in this order: when {@code hostKeyFingerprint} is set, the bastion's key must have
 * exactly that fingerprint (known hosts are then neither read nor written); otherwise a fingerprint recorded in
 * {@link KnownHosts} for {@code host:port} must match; otherwise, when {@code trustOnFirstUse} is true, the key
 * presented is recorded and accepted; otherwise the connection is refused. A changed key is never accepted.
 *
 * <p>Immutable and thread-safe.
 *
 * @param host the bastion host name or address; not blank, no spaces
 * @param port the bastion's SSH port, 1 to 65535; usually {@link #DEFAULT_PORT}
 * @param user the user to log in as on the bastion; not blank, no spaces
 * @param hostKeyFingerprint the pinned SHA-256 fingerprint of the bastion's host key, as
 *        {@code ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub} prints it on the bastion
 *        ({@code SHA256:} and 43 Base64 characters; trailing {@code =} padding is dropped); empty for none
 * @param trustOnFirstUse whether, with no fingerprint pinned or known, the first key seen is recorded and trusted
 * @param connectTimeout the longest time that reaching the bastion, the SSH handshake, logging in and the first
 *        connection through the bastion to the target may take together when a tunnel opens; positive; usually
 *        {@link #DEFAULT_CONNECT_TIMEOUT}
 */
public record SshTunnelSettings(
        String host,
        int port,
        String user,
        Optional<String> hostKeyFingerprint,
        boolean trustOnFirstUse,
        Duration connectTimeout) {

    /** The usual SSH port. */
    public static final int DEFAULT_PORT = 22;

    /** A connect timeout that suits a bastion across the internet. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Validates every setting.
     *
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the bad setting
     */
    public SshTunnelSettings {
        requireNonNull(host, "host is null");
        requireNonNull(user, "user is null");
        requireNonNull(hostKeyFingerprint, "hostKeyFingerprint is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        if (host.isBlank() || HostPort.containsWhitespaceOrControl(host)) {
            throw invalid("SSH tunnel setting 'host' must not be blank or contain spaces, was '" + host + "'");
        }
        HostPort.requirePort(port, "SSH tunnel setting 'port'");
        if (user.isBlank() || HostPort.containsWhitespaceOrControl(user)) {
            throw invalid("SSH tunnel setting 'user' must not be blank or contain spaces, was '" + user + "'");
        }
        hostKeyFingerprint = hostKeyFingerprint.map(
                fingerprint -> SshFingerprints.requireValid(fingerprint, "SSH tunnel setting 'hostKeyFingerprint'"));
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw invalid("SSH tunnel setting 'connectTimeout' must be positive, was " + connectTimeout);
        }
    }

    /**
     * The bastion as {@code host:port}, for messages.
     *
     * @return for example {@code bastion.example.com:22}
     */
    public String bastion() {
        return host + ":" + port;
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
