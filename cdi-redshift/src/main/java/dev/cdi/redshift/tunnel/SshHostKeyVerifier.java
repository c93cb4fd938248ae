package dev.cdi.redshift.tunnel;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the bastion's host key by the rules of {@link SshTunnelSettings}. The SSH client only learns "rejected";
 * the reason is kept here so that {@link SshTunnel#open} can throw it.
 *
 * <p>One instance per tunnel. Thread-safe: the SSH client calls it on its I/O threads, at the first key exchange
 * and at each re-key.
 */
final class SshHostKeyVerifier implements ServerKeyVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(SshHostKeyVerifier.class);

    private final SshTunnelSettings settings;
    private final KnownHosts knownHosts;
    private final AtomicReference<String> accepted = new AtomicReference<>();
    private final AtomicReference<RuntimeException> rejection = new AtomicReference<>();

    SshHostKeyVerifier(SshTunnelSettings settings, KnownHosts knownHosts) {
        this.settings = requireNonNull(settings, "settings is null");
        this.knownHosts = requireNonNull(knownHosts, "knownHosts is null");
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        try {
            Optional<CdiException> refusal = check(serverKey);
            refusal.ifPresent(rejection::set);
            return refusal.isEmpty();
        } catch (RuntimeException e) {
            // Returning false makes the client disconnect; open() then throws what is kept here.
            rejection.set(e);
            return false;
        }
    }

    /**
     * Applies the rules to a key the bastion presented, recording it in the known hosts on first use.
     *
     * @param key the bastion's host key
     * @return the refusal, or empty when the key is trusted
     */
    Optional<CdiException> check(PublicKey key) {
        String presented = SshFingerprints.of(key);
        // A re-key presents the same key again: trust it without another look at the known hosts.
        if (presented.equals(accepted.get())) {
            return Optional.empty();
        }
        Optional<String> pinned = settings.hostKeyFingerprint();
        if (pinned.isPresent()) {
            if (pinned.get().equals(presented)) {
                return accept(presented);
            }
            return Optional.of(rejected("The SSH host key of bastion " + settings.bastion()
                    + " does not match the pinned fingerprint: expected " + pinned.get() + ", the bastion presented "
                    + describe(key, presented) + ". Either the bastion's host key was replaced or someone is"
                    + " intercepting the connection. Check the key on the bastion itself (ssh-keygen -l -f "
                    + SshFingerprints.usualHostKeyFile(key) + "); only if it shows " + presented
                    + ", set the SSH tunnel setting hostKeyFingerprint to " + presented + "."));
        }
        Optional<String> known = knownHosts.fingerprintOf(settings.host(), settings.port());
        if (known.isPresent()) {
            if (known.get().equals(presented)) {
                return accept(presented);
            }
            return Optional.of(rejected("The SSH host key of bastion " + settings.bastion() + " has changed: expected "
                    + known.get() + " (recorded in the " + knownHosts + "), the bastion presented "
                    + describe(key, presented) + ". Either the bastion's host key was replaced or someone is"
                    + " intercepting the connection; the new key is not trusted automatically. Check the key on the"
                    + " bastion itself (ssh-keygen -l -f " + SshFingerprints.usualHostKeyFile(key) + "); only if it"
                    + " shows " + presented + ", set the SSH tunnel setting hostKeyFingerprint to " + presented
                    + " (or delete the entry for " + new HostPort(settings.host(), settings.port()) + " from the "
                    + knownHosts + ")."));
        }
        if (settings.trustOnFirstUse()) {
            knownHosts.remember(settings.host(), settings.port(), presented);
            LOG.info("Trusting the SSH host key {} of bastion {} on first use; recorded in the {}",
                    describe(key, presented), settings.bastion(), knownHosts);
            return accept(presented);
        }
        return Optional.of(rejected("The SSH host key of bastion " + settings.bastion() + " is not trusted: no"
                + " fingerprint is pinned or recorded for it, and trusting on first use is off. The bastion presented "
                + describe(key, presented) + ". Check the key on the bastion itself (ssh-keygen -l -f "
                + SshFingerprints.usualHostKeyFile(key) + "); if it shows " + presented
                + ", set the SSH tunnel setting hostKeyFingerprint to " + presented
                + ", or turn on trustOnFirstUse to record the key on the first connection."));
    }

    /**
     * Why the last key was refused, if it was.
     *
     * @return the refusal or the failure while checking, or empty
     */
    Optional<RuntimeException> rejection() {
        return Optional.ofNullable(rejection.get());
    }

    private Optional<CdiException> accept(String fingerprint) {
        accepted.set(fingerprint);
        return Optional.empty();
    }

    private static String describe(PublicKey key, String fingerprint) {
        return SshFingerprints.typeOf(key) + " key " + fingerprint;
    }

    private static CdiException rejected(String message) {
        return new CdiException(ErrorCode.SSH_HOST_KEY_REJECTED, message);
    }
}
