package dev.cdi.redshift.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SshHostKeyVerifierTest {
    private final PublicKey hostKey = SshKeyPair.generate().keyPair().getPublic();
    private final String fingerprint = SshFingerprints.of(hostKey);
    private final String otherFingerprint = SshKeyPair.generate().fingerprint();
    private final KnownHosts knownHosts = KnownHosts.inMemory();

    @Test
    void pinnedFingerprintThatMatchesIsTrustedAndKnownHostsAreLeftAlone() {
        SshHostKeyVerifier verifier = verifier(Optional.of(fingerprint), true);

        assertThat(verifier.check(hostKey)).isEmpty();
        assertThat(knownHosts.fingerprintOf("bastion", 22)).isEmpty();
    }

    @Test
    void pinnedFingerprintWinsOverKnownHosts() {
        knownHosts.remember("bastion", 22, otherFingerprint);

        assertThat(verifier(Optional.of(fingerprint), false).check(hostKey)).isEmpty();
        assertThat(verifier(Optional.of(otherFingerprint), false).check(hostKey)).isPresent();
    }

    @Test
    void pinnedFingerprintThatDiffersIsRefusedEvenWithTrustOnFirstUse() {
        Optional<CdiException> refusal = verifier(Optional.of(otherFingerprint), true).check(hostKey);

        assertThat(refusal).get()
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.SSH_HOST_KEY_REJECTED)
                .extracting(Throwable::getMessage).asString()
                .contains("bastion:22", "expected " + otherFingerprint, "ssh-ed25519 key " + fingerprint,
                        "set the SSH tunnel setting hostKeyFingerprint to " + fingerprint);
        assertThat(knownHosts.fingerprintOf("bastion", 22)).isEmpty();
    }

    @Test
    void knownFingerprintThatMatchesIsTrusted() {
        knownHosts.remember("bastion", 22, fingerprint);

        assertThat(verifier(Optional.empty(), false).check(hostKey)).isEmpty();
    }

    @Test
    void changedKeyIsRefusedEvenWithTrustOnFirstUse() {
        knownHosts.remember("bastion", 22, otherFingerprint);

        Optional<CdiException> refusal = verifier(Optional.empty(), true).check(hostKey);

        assertThat(refusal).get()
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.SSH_HOST_KEY_REJECTED)
                .extracting(Throwable::getMessage).asString()
                .contains("bastion:22 has changed", "expected " + otherFingerprint, "presented ssh-ed25519 key "
                        + fingerprint, "not trusted automatically");
        assertThat(knownHosts.fingerprintOf("bastion", 22)).contains(otherFingerprint);
    }

    @Test
    void firstUseIsRecordedWhenAllowed() {
        assertThat(verifier(Optional.empty(), true).check(hostKey)).isEmpty();

        assertThat(knownHosts.fingerprintOf("bastion", 22)).contains(fingerprint);
    }

    @Test
    void unknownKeyIsRefusedWithoutTrustOnFirstUse() {
        Optional<CdiException> refusal = verifier(Optional.empty(), false).check(hostKey);

        assertThat(refusal).get()
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.SSH_HOST_KEY_REJECTED)
                .extracting(Throwable::getMessage).asString()
                .contains("bastion:22 is not trusted", "presented ssh-ed25519 key " + fingerprint,
                        "hostKeyFingerprint to " + fingerprint, "trustOnFirstUse");
        assertThat(knownHosts.fingerprintOf("bastion", 22)).isEmpty();
    }

    @Test
    void refusalIsKeptForTheCaller() {
        SshHostKeyVerifier verifier = verifier(Optional.of(otherFingerprint), false);

        assertThat(verifier.verifyServerKey(null, null, hostKey)).isFalse();

        assertThat(verifier.rejection()).get()
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.SSH_HOST_KEY_REJECTED);
    }

    @Test
    void failingKnownHostsRefuseTheKey() {
        CdiException failure = new CdiException(ErrorCode.STATE_STORE_FAILED, "disk gone");
        KnownHosts broken = new KnownHosts() {
            @Override
            public Optional<String> fingerprintOf(String host, int port) {
                throw failure;
            }

            @Override
            public void remember(String host, int port, String fingerprint) {
                throw failure;
            }
        };
        SshHostKeyVerifier verifier = new SshHostKeyVerifier(settings(Optional.empty(), true), broken);

        assertThat(verifier.verifyServerKey(null, null, hostKey)).isFalse();
        assertThat(verifier.rejection()).containsSame(failure);
    }

    @Test
    void reKeyWithTheSameKeyDoesNotReadKnownHostsAgain() {
        AtomicInteger reads = new AtomicInteger();
        KnownHosts counting = new KnownHosts() {
            @Override
            public Optional<String> fingerprintOf(String host, int port) {
                reads.incrementAndGet();
                return knownHosts.fingerprintOf(host, port);
            }

            @Override
            public void remember(String host, int port, String fingerprint) {
                knownHosts.remember(host, port, fingerprint);
            }
        };
        SshHostKeyVerifier verifier = new SshHostKeyVerifier(settings(Optional.empty(), true), counting);

        assertThat(verifier.verifyServerKey(null, null, hostKey)).isTrue();
        assertThat(verifier.verifyServerKey(null, null, hostKey)).isTrue();

        assertThat(reads).hasValue(1);
        assertThat(verifier.verifyServerKey(null, null, SshKeyPair.generate().keyPair().getPublic())).isFalse();
    }

    private SshHostKeyVerifier verifier(Optional<String> pinned, boolean trustOnFirstUse) {
        return new SshHostKeyVerifier(settings(pinned, trustOnFirstUse), knownHosts);
    }

    private static SshTunnelSettings settings(Optional<String> pinned, boolean trustOnFirstUse) {
        return new SshTunnelSettings("bastion", 22, "tester", pinned, trustOnFirstUse, Duration.ofSeconds(5));
    }
}
