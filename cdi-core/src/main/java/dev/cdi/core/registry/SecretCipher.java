package dev.cdi.core.registry;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM (the JDK's own provider) under a key the application supplies: a
 * random 12-byte IV per value, a 128-bit tag, and a context (such as the credential's name and key) bound as
 * associated data, so that a value moved elsewhere does not decrypt. Encrypted text is {@code v1:} followed by the
 * Base64 of the IV and the ciphertext.
 *
 * <p>Thread-safe: each call uses its own {@link Cipher}.
 */
public final class SecretCipher {
    /** The key's length in bytes (AES-256). */
    public static final int KEY_BYTES = 32;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretCipher(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                    "The secret key must be " + KEY_BYTES + " bytes (AES-256), was " + key.length + " bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * A cipher with a key given as bytes; the array is copied.
     *
     * @param key 32 bytes
     * @return the cipher
     * @throws CdiException {@code INVALID_CONFIGURATION} when the key is not 32 bytes long
     */
    public static SecretCipher fromKey(byte[] key) {
        return new SecretCipher(requireNonNull(key, "key is null").clone());
    }

    /**
     * A cipher with a key given as Base64 text, such as an environment variable's value.
     *
     * @param base64Key the Base64 of 32 bytes
     * @return the cipher
     * @throws CdiException {@code INVALID_CONFIGURATION} when the text is not Base64 or not 32 bytes long; the
     *         message never shows the text
     */
    public static SecretCipher fromBase64(String base64Key) {
        requireNonNull(base64Key, "base64Key is null");
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException notBase64) {
            // The exception's message can quote the offending character of the key: not passed on.
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "The secret key is not valid Base64 text");
        }
        try {
            return new SecretCipher(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * A new random key, for an application that has none yet.
     *
     * @return 32 random bytes
     */
    public static byte[] generateKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * Encrypts a value; encrypting the same value twice gives different text.
     *
     * @param plaintext the secret
     * @param context what the value is (bound to it, and named in decryption errors); never a secret
     * @return {@code v1:} and the Base64 of IV and ciphertext
     */
    public String encrypt(String plaintext, String context) {
        requireNonNull(plaintext, "plaintext is null");
        requireNonNull(context, "context is null");
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException failure) {
            throw new IllegalStateException("AES-GCM is unavailable in this JDK", failure);
        }
    }

    /**
     * Decrypts a value.
     *
     * @param encrypted what {@link #encrypt} returned
     * @param context the context it was encrypted with
     * @return the secret
     * @throws CdiException {@code INVALID_CONFIGURATION} naming the context (never the value) when the key is not
     *         the one the value was encrypted with, the value was altered or moved, or the text is malformed
     */
    public String decrypt(String encrypted, String context) {
        requireNonNull(encrypted, "encrypted is null");
        requireNonNull(context, "context is null");
        byte[] bytes;
        try {
            bytes = encrypted.startsWith(PREFIX) ? Base64.getDecoder().decode(encrypted.substring(PREFIX.length()))
                    : new byte[0];
        } catch (IllegalArgumentException notBase64) {
            bytes = new byte[0];
        }
        if (bytes.length <= IV_BYTES) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                    "Cannot decrypt " + context + ": the stored text is not a value encrypted by CDI");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException wrongKey) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "Cannot decrypt " + context
                    + ": the secret key is not the one it was encrypted with, or the stored value was altered");
        } catch (GeneralSecurityException failure) {
            throw new IllegalStateException("AES-GCM is unavailable in this JDK", failure);
        }
    }

    @Override
    public String toString() {
        return "SecretCipher[AES-256-GCM, key=****]";
    }
}
