package dev.cdi.redshift.tunnel;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.security.PublicKey;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;

/** SHA-256 fingerprints of SSH public keys, in the form {@code ssh-keygen -l} prints. Thread-safe. */
final class SshFingerprints {
    // 32 bytes of SHA-256 in unpadded Base64 are 43 characters; ssh-keygen omits the padding.
    private static final Pattern FORMAT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    private SshFingerprints() {
    }

    /**
     * The fingerprint of a key.
     *
     * @param key the public key
     * @return {@code SHA256:} and the unpadded Base64 of the digest of the key's SSH encoding
     */
    static String of(PublicKey key) {
        // Explicit digest: KeyUtils' default can be changed through a system property.
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, requireNonNull(key, "key is null"));
    }

    /**
     * Checks the form of a fingerprint and drops Base64 padding, which some tools print.
     *
     * @param fingerprint the fingerprint as given
     * @param what what the fingerprint is, for the message
     * @return the fingerprint without padding
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when it is not a SHA-256 fingerprint
     */
    static String requireValid(String fingerprint, String what) {
        requireNonNull(fingerprint, "fingerprint is null");
        String unpadded = fingerprint.endsWith("=") ? fingerprint.substring(0, fingerprint.length() - 1) : fingerprint;
        if (!FORMAT.matcher(unpadded).matches()) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, what + " must be a SHA-256 fingerprint as"
                    + " 'ssh-keygen -l -E sha256 -f KEY.pub' prints it (SHA256: and 43 Base64 characters), was '"
                    + fingerprint + "'");
        }
        return unpadded;
    }

    /**
     * Where an OpenSSH server usually keeps the public host key of this type, for messages.
     *
     * @param key the host key
     * @return the usual path of the host key file
     */
    static String usualHostKeyFile(PublicKey key) {
        String type = KeyUtils.getKeyType(key);
        if (type == null) {
            return "/etc/ssh/ssh_host_*_key.pub";
        }
        if (type.startsWith("ecdsa-")) {
            return "/etc/ssh/ssh_host_ecdsa_key.pub";
        }
        if (type.contains("ed25519")) {
            return "/etc/ssh/ssh_host_ed25519_key.pub";
        }
        if (type.contains("rsa")) {
            return "/etc/ssh/ssh_host_rsa_key.pub";
        }
        return "/etc/ssh/ssh_host_*_key.pub";
    }

    /**
     * The SSH name of a key's type.
     *
     * @param key the key
     * @return for example {@code ssh-ed25519}
     */
    static String typeOf(PublicKey key) {
        String type = KeyUtils.getKeyType(key);
        return type == null ? key.getAlgorithm() : type;
    }
}
