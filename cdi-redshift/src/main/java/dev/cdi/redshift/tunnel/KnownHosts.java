package dev.cdi.redshift.tunnel;

import java.util.Optional;

/**
 * The SSH host keys trusted so far, as SHA-256 fingerprints by bastion host and port. {@link SshTunnel} consults
 * it when no fingerprint is pinned in {@link SshTunnelSettings}, and records a bastion's key there on first use
 * when {@link SshTunnelSettings#trustOnFirstUse()} allows it.
 *
 * <p>Host names compare case-insensitively. Implementations are thread-safe; their methods may be called any
 * number of times, also from an SSH client's I/O thread.
 */
public interface KnownHosts {

    /**
     * The fingerprint trusted for a host and port.
     *
     * @param host the bastion host as configured
     * @param port the bastion port
     * @return the fingerprint ({@code SHA256:...}), or empty when none is recorded
     */
    Optional<String> fingerprintOf(String host, int port);

    /**
     * Records the fingerprint for a host and port, replacing any recorded before.
     *
     * @param host the bastion host as configured
     * @param port the bastion port
     * @param fingerprint the fingerprint, {@code SHA256:} and 43 Base64 characters
     * @throws dev.cdi.api.CdiException with {@code INVALID_CONFIGURATION} when the host, port or fingerprint is
     *         malformed
     */
    void remember(String host, int port, String fingerprint);

    /**
     * Known hosts kept in memory only, empty at first; for tests, and for callers that store fingerprints
     * themselves.
     *
     * @return new, empty known hosts
     */
    static KnownHosts inMemory() {
        return new InMemoryKnownHosts();
    }
}
