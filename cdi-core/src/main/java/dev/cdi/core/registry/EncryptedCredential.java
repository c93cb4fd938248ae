package dev.cdi.core.registry;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A credential as the registry keeps it: each secret value encrypted by a {@link SecretCipher}, bound to the
 * credential's name and the value's key, so that a value copied to another credential or key does not decrypt.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the credential's name
 * @param workspace the name of its workspace
 * @param connector the name of its connector
 * @param encryptedValues the encrypted values by key, as {@link SecretCipher#encrypt} returns them
 */
public record EncryptedCredential(String name, String workspace, String connector, Map<String, String> encryptedValues) {

    /** Validates and copies. */
    public EncryptedCredential {
        requireNonNull(name, "name is null");
        requireNonNull(workspace, "workspace is null");
        requireNonNull(connector, "connector is null");
        encryptedValues = Map.copyOf(requireNonNull(encryptedValues, "encryptedValues is null"));
    }

    /**
     * Encrypts a credential.
     *
     * @param credential the credential in clear
     * @param cipher the cipher holding the application's key
     * @return the encrypted credential
     */
    public static EncryptedCredential encrypt(Credential credential, SecretCipher cipher) {
        requireNonNull(credential, "credential is null");
        requireNonNull(cipher, "cipher is null");
        Map<String, String> encrypted = new HashMap<>();
        credential.secretValues().forEach((key, value) ->
                encrypted.put(key, cipher.encrypt(value, context(credential.name(), key))));
        return new EncryptedCredential(credential.name(), credential.workspace(), credential.connector(), encrypted);
    }

    /**
     * Decrypts this credential.
     *
     * @param cipher the cipher holding the key it was encrypted with
     * @return the credential in clear
     * @throws dev.cdi.api.CdiException {@code INVALID_CONFIGURATION} naming the credential and key (never a value)
     *         when the key is not the one it was encrypted with or a value was altered
     */
    public Credential decrypt(SecretCipher cipher) {
        requireNonNull(cipher, "cipher is null");
        Map<String, String> clear = new HashMap<>();
        encryptedValues.forEach((key, value) -> clear.put(key, cipher.decrypt(value, context(name, key))));
        return new Credential(name, workspace, connector, clear);
    }

    private static String context(String credential, String key) {
        return "credential '" + credential + "' setting '" + key + "'";
    }

    @Override
    public String toString() {
        return "EncryptedCredential[name=" + name + ", workspace=" + workspace + ", connector=" + connector
                + ", secretKeys=" + new TreeSet<>(encryptedValues.keySet()) + "]";
    }
}
