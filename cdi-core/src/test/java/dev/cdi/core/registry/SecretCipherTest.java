package dev.cdi.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
    private static final String SECRET = "hunter2-s3cr3t";
    private final SecretCipher cipher = SecretCipher.fromKey(SecretCipher.generateKey());

    @Test
    void encryptsWithAFreshIvAndDecryptsBack() {
        String first = cipher.encrypt(SECRET, "credential 'c' setting 'password'");
        String second = cipher.encrypt(SECRET, "credential 'c' setting 'password'");

        assertThat(first).startsWith("v1:").doesNotContain(SECRET).isNotEqualTo(second);
        assertThat(Base64.getDecoder().decode(first.substring(3))).hasSize(12 + SECRET.length() + 16);
        assertThat(cipher.decrypt(first, "credential 'c' setting 'password'")).isEqualTo(SECRET);
        assertThat(cipher.decrypt(second, "credential 'c' setting 'password'")).isEqualTo(SECRET);
    }

    @Test
    void aWrongKeyFailsClearlyWithoutShowingTheSecret() {
        String encrypted = cipher.encrypt(SECRET, "credential 'c' setting 'password'");
        SecretCipher other = SecretCipher.fromKey(SecretCipher.generateKey());

        assertThatThrownBy(() -> other.decrypt(encrypted, "credential 'c' setting 'password'"))
                .isInstanceOfSatisfying(CdiException.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessage("Cannot decrypt credential 'c' setting 'password': the secret key is not the one it was"
                        + " encrypted with, or the stored value was altered")
                .hasNoCause();
    }

    @Test
    void aValueMovedToAnotherContextDoesNotDecrypt() {
        String encrypted = cipher.encrypt(SECRET, "credential 'c' setting 'password'");

        assertThatThrownBy(() -> cipher.decrypt(encrypted, "credential 'd' setting 'password'"))
                .isInstanceOf(CdiException.class).hasMessageContaining("credential 'd' setting 'password'");
    }

    @Test
    void malformedTextIsRefused() {
        assertThatThrownBy(() -> cipher.decrypt("plain", "credential 'c' setting 'password'"))
                .isInstanceOf(CdiException.class).hasMessageContaining("not a value encrypted by CDI");
        assertThatThrownBy(() -> cipher.decrypt("v1:!!!", "credential 'c' setting 'password'"))
                .isInstanceOf(CdiException.class).hasMessageContaining("not a value encrypted by CDI");
    }

    @Test
    void takesTheKeyAsBase64AndChecksItsLength() {
        byte[] key = SecretCipher.generateKey();
        String encrypted = SecretCipher.fromKey(key).encrypt(SECRET, "context");

        assertThat(SecretCipher.fromBase64(Base64.getEncoder().encodeToString(key)).decrypt(encrypted, "context"))
                .isEqualTo(SECRET);
        assertThatThrownBy(() -> SecretCipher.fromKey(new byte[16]))
                .isInstanceOf(CdiException.class).hasMessage("The secret key must be 32 bytes (AES-256), was 16 bytes");
        assertThatThrownBy(() -> SecretCipher.fromBase64("not base64 $ecret"))
                .isInstanceOf(CdiException.class).hasMessage("The secret key is not valid Base64 text");
    }

    @Test
    void theKeyIsCopiedAndNeverShown() {
        byte[] key = SecretCipher.generateKey();
        SecretCipher fromKey = SecretCipher.fromKey(key);
        String encrypted = fromKey.encrypt(SECRET, "context");
        key[0]++;

        assertThat(fromKey.decrypt(encrypted, "context")).isEqualTo(SECRET);
        assertThat(fromKey.toString()).isEqualTo("SecretCipher[AES-256-GCM, key=****]");
    }
}
